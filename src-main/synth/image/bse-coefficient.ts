// Backscatter coefficient and electron range: the two material facts the
// forward model needs (docs/forward-model.md).
//
// eta(Z, E) is the Hunger-Kuechler fit ([HungerKuechler1979]) quoted in [SardharaThesis2024] ch. 2.2:
//   eta(Z, E) = E^m(Z) * C(Z)                                          (2.2)
//   m(Z) = 0.1382 - 0.9211 / sqrt(Z)                                   (2.3)
//   C(Z) = 0.1904 - 0.2236 ln Z + 0.1292 (ln Z)^2 - 0.01491 (ln Z)^3   (2.4)
// with E in keV. The thesis text renders (2.2) as E^(m(Z) * C(Z)); read that way
// eta would be 1 at 1 keV for every Z (no material contrast at all), so we use the
// published product form E^m * C (gold at 2 keV: 0.45, carbon: 0.10).
// The fit was made for 4-40 keV; at 1-4 keV it still orders the materials right,
// which is all the image contrast needs.
//
// Electron range (Kanaya-Okayama): R = 27.6 A E^1.67 / (Z^0.889 rho) nm,
// A in g/mol, E in keV, rho in g/cm^3 (the usual 0.0276 um constant, in nm).
import { invalid } from '../synth-inputs';

export interface Material {
  name: string;
  /** Atomic number, or the effective one of a compound. 0 = vacuum. */
  z: number;
  /** Atomic (or mean) mass, g/mol. */
  a: number;
  /** Density, g/cm^3. */
  densityGPerCm3: number;
}

/** Solid phase of nanoporous gold. */
export const GOLD: Material = { name: 'gold', z: 79, a: 196.97, densityGPerCm3: 19.32 };
/** Pore filler of infiltrated samples: light elements (C, H, O), Z_eff ~ 6. */
export const EPOXY: Material = { name: 'epoxy', z: 6, a: 12, densityGPerCm3: 1.2 };
/** Empty pores: no backscatter. */
export const VACUUM: Material = { name: 'vacuum', z: 0, a: 0, densityGPerCm3: 0 };
/** Ruler trench filling (Pt/C deposit, Pt-rich), for the ruler markers. */
export const PLATINUM_CARBON: Material = { name: 'Pt/C', z: 60, a: 140, densityGPerCm3: 10 };

/** Backscatter coefficient, [SardharaThesis2024] eq. 2.2-2.4 (Hunger-Kuechler); 0 for vacuum. */
export function backscatterCoefficient(z: number, energyKeV: number): number {
  if (!(energyKeV > 0)) throw invalid(`beam energy must be a positive number of keV, got ${energyKeV}`);
  if (z === 0) return 0;
  if (!(z >= 1)) throw invalid(`atomic number must be at least 1 (or 0 for vacuum), got ${z}`);
  const lnZ = Math.log(z);
  const m = 0.1382 - 0.9211 / Math.sqrt(z); // (2.3)
  const c = 0.1904 - 0.2236 * lnZ + 0.1292 * lnZ ** 2 - 0.01491 * lnZ ** 3; // (2.4)
  return Math.pow(energyKeV, m) * c; // (2.2)
}

/** Kanaya-Okayama electron range in nm. Vacuum has no range of its own: see forward-model.ts. */
export function kanayaOkayamaRangeNm(material: Material, energyKeV: number): number {
  if (!(energyKeV > 0)) throw invalid(`beam energy must be a positive number of keV, got ${energyKeV}`);
  if (material.z === 0) throw invalid('vacuum has no electron range');
  return (27.6 * material.a * Math.pow(energyKeV, 1.67)) / (Math.pow(material.z, 0.889) * material.densityGPerCm3);
}
