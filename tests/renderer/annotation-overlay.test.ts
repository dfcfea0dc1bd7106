// The Annotate mode's layer pixels and its texts and keys (pure, no DOM):
// class colours from the class table, a box of a label plane through the
// table against a per-pixel loop, the prediction in the classes' colours, the
// uncertainty as alpha; the estimate line with its numbers; the shortcuts.
import { describe, expect, it } from 'vitest';
import type { AnnotationClass } from '../../src-shared/contract';
import {
  classColourTable,
  parseHexColour,
  predictionColourTable,
  uncertaintyColourTable,
  unionBox,
  UNSURE_COLOUR,
  valuesToRgba,
} from '../../src-renderer/components/annotation-overlay';
import { annotateKeyAction, nextRadius } from '../../src-renderer/components/annotate-keys';
import { countsLine, estimateLine, methodLabel, type ClassifierEstimate } from '../../src-renderer/components/annotate-text';

const CLASSES: AnnotationClass[] = [
  { value: 1, name: 'pore', color: '#3b82f6' },
  { value: 2, name: 'solid', color: '#F59E0B' },
];

describe('annotation layer pixels', () => {
  it('reads #rrggbb colours (any case); anything else is grey', () => {
    expect(parseHexColour('#3b82f6')).toEqual([0x3b, 0x82, 0xf6]);
    expect(parseHexColour('#F59E0B')).toEqual([245, 158, 11]);
    expect(parseHexColour('blue')).toEqual([128, 128, 128]);
  });

  it('a box of a label plane becomes its classes\' colours, opaque, and transparent where nothing is painted', () => {
    const [w, h] = [7, 5];
    const labels = Uint8Array.from({ length: w * h }, (_, i) => [0, 1, 2, 3][(i * 7) % 4]);
    const lut = classColourTable(CLASSES);
    const box = { x: 2, y: 1, width: 4, height: 3 };
    const rgba = valuesToRgba(labels, w, box, lut);
    expect(rgba.length).toBe(4 * 3 * 4);
    for (let y = 0; y < box.height; y++) {
      for (let x = 0; x < box.width; x++) {
        const v = labels[(box.y + y) * w + box.x + x];
        const want = v === 1 ? [0x3b, 0x82, 0xf6, 255] : v === 2 ? [245, 158, 11, 255] : [0, 0, 0, 0];
        expect(Array.from(rgba.subarray((y * box.width + x) * 4, (y * box.width + x + 1) * 4))).toEqual(want);
      }
    }
  });

  it('the prediction (0 pore, 1 solid) takes the colours of the annotation classes pore (1) and solid (2)', () => {
    const rgba = valuesToRgba(Uint8Array.of(0, 1), 2, { x: 0, y: 0, width: 2, height: 1 }, predictionColourTable(CLASSES));
    expect(Array.from(rgba)).toEqual([0x3b, 0x82, 0xf6, 255, 245, 158, 11, 255]);
  });

  it('uncertainty is the alpha of one colour: certain pixels stay clear', () => {
    const rgba = valuesToRgba(Uint8Array.of(0, 128, 255), 3, { x: 0, y: 0, width: 3, height: 1 }, uncertaintyColourTable());
    expect(Array.from(rgba)).toEqual([...UNSURE_COLOUR, 0, ...UNSURE_COLOUR, 128, ...UNSURE_COLOUR, 255]);
  });

  it('unionBox holds both boxes', () => {
    expect(unionBox(null, { x: 1, y: 2, width: 3, height: 4 })).toEqual({ x: 1, y: 2, width: 3, height: 4 });
    expect(unionBox({ x: 5, y: 0, width: 2, height: 2 }, { x: 1, y: 3, width: 1, height: 1 })).toEqual({ x: 1, y: 0, width: 6, height: 4 });
  });
});

describe('annotate texts and keys', () => {
  const estimate = (patch: Partial<ClassifierEstimate>): ClassifierEstimate => ({
    wholeSliceMpPercent: null,
    scheme: 'leave-one-slice-out',
    weaker: false,
    note: 'Each of the 2 annotated slices was held out in turn.',
    mpPercent: 3.24,
    mgpPercent: 5.06,
    meanIoU: 0.9312,
    pixels: 1234,
    ...patch,
  });

  it('the estimate: whole-slice MP first when there is one, then the painted pixels\' MP, MGP, mIoU', () => {
    expect(estimateLine(estimate({ wholeSliceMpPercent: 2.04 }))).toBe(
      "Estimated from your annotations (whole slices held out): MP 2.0 % of the annotated slices' voxels; on the held-out painted pixels themselves MP 3.2 %, MGP 5.1 %, mIoU 0.93 on 1234 painted pixels.",
    );
    expect(estimateLine(estimate({ scheme: 'spatial-blocks', weaker: true }))).toBe(
      'Estimated from your annotations (strips of the only annotated slice held out: optimistic, annotate a second slice): MP 3.2 %, MGP 5.1 %, mIoU 0.93 on 1234 painted pixels.',
    );
    expect(estimateLine(estimate({ mgpPercent: null, meanIoU: null }))).toContain('MGP n/a, mIoU n/a');
    expect(estimateLine(estimate({ scheme: 'none', mpPercent: null, note: 'Annotate a second slice.' }))).toBe('No accuracy estimate yet: Annotate a second slice.');
    expect(estimateLine(null)).toBe('No accuracy estimate (cross-validation was not run).');
  });

  it('counts per class in the classes\' order, 0 for none; the method\'s name in the list', () => {
    expect(countsLine({ '2': 40 }, CLASSES)).toBe('pore 0 px · solid 40 px');
    expect(methodLabel('pixel-classifier')).toBe('Pixel classifier (learns from your annotations)');
    expect(methodLabel('otsu')).toBe('otsu');
  });

  it('keys: digits choose classes, B/E/F tools, [ ] the radius, Ctrl/Cmd+Z undo; others are not ours', () => {
    const k = (key: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }> = {}) =>
      annotateKeyAction({ key, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods });
    expect(k('2')).toEqual({ type: 'label', value: 2 });
    expect(k('E')).toEqual({ type: 'tool', tool: 'eraser' });
    expect(k('f')).toEqual({ type: 'tool', tool: 'fill' });
    expect(k('b')).toEqual({ type: 'tool', tool: 'brush' });
    expect(k(']')).toEqual({ type: 'radius', delta: 1 });
    expect(k('z', { ctrlKey: true })).toEqual({ type: 'undo' });
    expect(k('z', { metaKey: true })).toEqual({ type: 'undo' });
    expect(k('z', { ctrlKey: true, shiftKey: true })).toBeNull();
    expect(k('0')).toBeNull();
    expect(k('2', { ctrlKey: true })).toBeNull();
    expect(k('x')).toBeNull();
  });

  it('[ and ] step the radius by 1 px while small, by about a fifth when large, within 0..64', () => {
    expect(nextRadius(3, 1)).toBe(4);
    expect(nextRadius(0, -1)).toBe(0);
    expect(nextRadius(20, 1)).toBe(24);
    expect(nextRadius(63, 1)).toBe(64);
  });
});
