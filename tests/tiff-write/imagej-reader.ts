// Opens a TIFF with ImageJ itself (Debian's libij-java, ij.jar, headless) when
// it is installed, and reports what Fiji users would see: stack size, bit
// depth, calibration and a SHA-256 of the pixels (little endian). Tests that
// use it are skipped on machines without Java or ij.jar.
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const IJ_JAR = process.env.FIBRECON_IJ_JAR ?? '/usr/share/java/ij.jar';
const JAVA = '/usr/bin/java';

export const imageJAvailable = existsSync(IJ_JAR) && existsSync(JAVA);

const SOURCE = `
import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import java.security.MessageDigest;

public class IjCheck {
  public static void main(String[] args) throws Exception {
    ImagePlus imp = IJ.openImage(args[0]);
    if (imp == null) { System.out.println("{\\"opened\\":false}"); return; }
    ImageStack st = imp.getStack();
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    for (int i = 1; i <= st.getSize(); i++) {
      Object p = st.getPixels(i);
      if (p instanceof byte[]) md.update((byte[]) p);
      else if (p instanceof short[]) { for (short v : (short[]) p) { md.update((byte) v); md.update((byte) (v >> 8)); } }
      else if (p instanceof float[]) { for (float f : (float[]) p) { int v = Float.floatToRawIntBits(f); md.update((byte) v); md.update((byte) (v >> 8)); md.update((byte) (v >> 16)); md.update((byte) (v >> 24)); } }
    }
    StringBuilder hex = new StringBuilder();
    for (byte b : md.digest()) hex.append(String.format("%02x", b));
    Calibration c = imp.getCalibration();
    System.out.println("{\\"opened\\":true,\\"nSlices\\":" + imp.getStackSize() + ",\\"bitDepth\\":" + imp.getBitDepth()
      + ",\\"width\\":" + imp.getWidth() + ",\\"height\\":" + imp.getHeight()
      + ",\\"pixelWidth\\":" + c.pixelWidth + ",\\"pixelHeight\\":" + c.pixelHeight + ",\\"pixelDepth\\":" + c.pixelDepth
      + ",\\"unit\\":\\"" + c.getUnit() + "\\",\\"displayMin\\":" + imp.getDisplayRangeMin() + ",\\"displayMax\\":" + imp.getDisplayRangeMax()
      + ",\\"sha256\\":\\"" + hex + "\\"}");
  }
}
`;

export interface ImageJReport {
  opened: boolean;
  nSlices: number;
  bitDepth: number;
  width: number;
  height: number;
  pixelWidth: number;
  pixelHeight: number;
  pixelDepth: number;
  unit: string;
  displayMin: number;
  displayMax: number;
  sha256: string;
}

/** Opens `path` in headless ImageJ; `workDir` receives the checker's source file. */
export function readWithImageJ(path: string, workDir: string): ImageJReport {
  const src = join(workDir, 'IjCheck.java');
  if (!existsSync(src)) writeFileSync(src, SOURCE);
  const out = execFileSync(JAVA, ['-Djava.awt.headless=true', '-cp', IJ_JAR, src, path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const line = out.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (!line) throw new Error(`ImageJ printed no result for ${path}: ${out}`);
  return JSON.parse(line) as ImageJReport;
}
