import { describe, expect, it } from 'vitest';
import { elementAt, parseXml } from '../../src-main/metadata/xml-lite';

describe('parseXml', () => {
  it('reads elements, attributes, text and entities, skipping declaration, comments and doctype', () => {
    const doc = parseXml(
      '\uFEFF<?xml version="1.0" encoding="iso-8859-1"?>\r\n<!DOCTYPE x>\r\n<!-- written by hand -->' +
        "<Root a=\"1\" b='two &amp; three'><Child>x &lt; y &#181;m &#xB5;m</Child><Empty/><![CDATA[<raw>]]></Root>",
    );
    expect(doc.complete).toBe(true);
    expect(doc.root.name).toBe('Root');
    expect(doc.root.attributes).toEqual({ a: '1', b: 'two & three' });
    expect(elementAt(doc.root, 'Child')?.text).toBe('x < y \u00B5m \u00B5m');
    expect(elementAt(doc.root, 'Empty')?.children).toEqual([]);
    expect(doc.root.text).toBe('<raw>');
  });

  it('keeps what it read from a block cut off at the end', () => {
    const doc = parseXml('<Fibics><Scan><Ux>0.005</Ux><Uy>0</Uy><Vx>0</Vx><V');
    expect(doc.complete).toBe(false);
    expect(elementAt(doc.root, 'Scan', 'Ux')?.text).toBe('0.005');
    const inAttribute = parseXml('<Fibics><Scan><FOV_X units="um">10.24</FOV_X><FOV_Y units="u');
    expect(inAttribute.complete).toBe(false);
    expect(elementAt(inAttribute.root, 'Scan', 'FOV_X')?.text).toBe('10.24');
  });

  it('throws on text without a root element or with mismatched tags', () => {
    expect(() => parseXml('no xml here')).toThrow(/no root element/);
    expect(() => parseXml('<a><b></a>')).toThrow(/does not match/);
    expect(() => parseXml('<a></a><b></b>')).toThrow(/second root/);
  });

  it('finds nested elements and says undefined for missing steps', () => {
    const { root } = parseXml('<A><B><C>1</C></B><B><C>2</C></B></A>');
    expect(elementAt(root, 'B', 'C')?.text).toBe('1');
    expect(elementAt(root, 'B', 'D')).toBeUndefined();
    expect(elementAt(root, 'X', 'C')).toBeUndefined();
  });
});
