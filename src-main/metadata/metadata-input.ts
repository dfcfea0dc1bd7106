// What the metadata parsers are given: decoded tag text (the TIFF reader does
// the file work) and the geometry of the image the tags belong to. Keeping the
// parsers on text makes them pure and testable without any TIFF.

/** The decoded text of a TIFF tag, or undefined when the file does not carry it. */
export interface TagTextSource {
  text(tag: number): string | undefined;
}

/** The image that the metadata describes. */
export interface ImageGeometry {
  /** Columns of the stored image, px. */
  width: number;
  /** Rows of the stored image, px (including any vendor data bar). */
  height: number;
  /** TIFF XResolution (tag 282) as a number: pixels per unit. Meaningful only with an ImageJ description. */
  xResolution?: number;
  /** TIFF YResolution (tag 283) as a number: pixels per unit. Meaningful only with an ImageJ description. */
  yResolution?: number;
}

/** The TIFF tags that carry acquisition metadata, in the order the dispatcher tries them. */
export const METADATA_TAGS = {
  /** Thermo Fisher / FEI Helios (and most current Thermo SEM/FIB): INI text. */
  FEI_HELIOS: 34682,
  /** Thermo Fisher / FEI older SFEG instruments: the same INI text. */
  FEI_SFEG: 34680,
  /** ZEISS SmartSEM: code / "Label = value" line pairs. */
  CZ_SEM: 34118,
  /** Fibics NPVE / ZEISS Atlas 5: XML. */
  FIBICS_XML: 51023,
  /** Tescan: key=value text blocks (BYTE tag, may hold binary block headers and a thumbnail). */
  TESCAN: 50431,
  /** Baseline ImageDescription; ImageJ/Fiji write "ImageJ=..." here. */
  IMAGE_DESCRIPTION: 270,
} as const;
