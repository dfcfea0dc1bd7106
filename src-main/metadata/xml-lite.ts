// A small XML reader for the metadata blocks microscopes write into TIFF tags
// (Fibics/Atlas tag 51023). Node has no DOMParser and the app takes no XML
// dependency for this: these blocks are elements, attributes and text, with
// an XML declaration and perhaps comments or CDATA; no DTDs, no namespaces
// that matter. A block cut off at the end is still read as far as it goes
// (`complete: false`), because the fields before the cut are valid.
//
// The reader is a loop with an explicit stack (no recursion), and refuses
// elements nested deeper than MAX_XML_DEPTH: metadata blocks are a few levels
// deep, so a deeper file is broken or hostile, and code walking the tree
// afterwards must not run out of call stack.

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Character data directly inside this element, entities decoded, trimmed. */
  text: string;
}

export interface XmlDocument {
  root: XmlElement;
  /** False when the text ended before every element was closed. */
  complete: boolean;
}

/** Deepest element nesting accepted (vendor metadata and ProjectData.dat use fewer than 10 levels). */
export const MAX_XML_DEPTH = 256;

/**
 * Parses the text; throws an Error with a reason when there is no root
 * element, tags do not match, or elements are nested deeper than MAX_XML_DEPTH.
 */
export function parseXml(text: string): XmlDocument {
  const stack: XmlElement[] = [];
  const texts: string[][] = [];
  let root: XmlElement | undefined;
  let i = 0;
  const n = text.length;

  const appendText = (t: string) => {
    if (stack.length > 0) texts[texts.length - 1]!.push(t);
  };
  const close = () => {
    const el = stack.pop()!;
    el.text = texts.pop()!.join('').trim();
  };

  while (i < n) {
    const lt = text.indexOf('<', i);
    if (lt < 0) {
      appendText(decodeEntities(text.slice(i)));
      break;
    }
    if (lt > i) appendText(decodeEntities(text.slice(i, lt)));
    if (text.startsWith('<?', lt)) {
      i = skipPast(text, lt, '?>');
    } else if (text.startsWith('<!--', lt)) {
      i = skipPast(text, lt, '-->');
    } else if (text.startsWith('<![CDATA[', lt)) {
      const end = text.indexOf(']]>', lt);
      appendText(text.slice(lt + 9, end < 0 ? n : end));
      i = end < 0 ? n : end + 3;
    } else if (text.startsWith('<!', lt)) {
      i = skipPast(text, lt, '>'); // DOCTYPE and similar: no internal subsets in these blocks
    } else if (text.startsWith('</', lt)) {
      const gt = text.indexOf('>', lt);
      const name = text.slice(lt + 2, gt < 0 ? n : gt).trim();
      const open = stack[stack.length - 1];
      if (!open || open.name !== name) {
        throw new Error(`closing tag </${name}> does not match ${open ? `<${open.name}>` : 'any open element'}`);
      }
      close();
      i = gt < 0 ? n : gt + 1;
    } else {
      const tag = readStartTag(text, lt);
      if (!tag) break; // cut off inside a tag: keep what was read
      if (stack.length > 0) stack[stack.length - 1]!.children.push(tag.element);
      else if (!root) root = tag.element;
      else throw new Error(`a second root element <${tag.element.name}>`);
      if (tag.selfClosing) {
        tag.element.text = '';
      } else {
        if (stack.length >= MAX_XML_DEPTH) {
          throw new Error(`elements are nested more than ${MAX_XML_DEPTH} deep, far deeper than any metadata file (<${tag.element.name}> on line ${lineOf(text, lt)})`);
        }
        stack.push(tag.element);
        texts.push([]);
      }
      i = tag.end;
    }
  }
  if (!root) throw new Error('no root element');
  const complete = stack.length === 0;
  while (stack.length > 0) close();
  return { root, complete };
}

/** The first child with this name, or undefined. */
export function childElement(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}

/** Follows child names from `el` ("Scan", "Ux"); undefined when any step is missing. */
export function elementAt(el: XmlElement | undefined, ...names: string[]): XmlElement | undefined {
  let cur = el;
  for (const name of names) cur = childElement(cur, name);
  return cur;
}

function lineOf(text: string, at: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function skipPast(text: string, from: number, terminator: string): number {
  const end = text.indexOf(terminator, from);
  return end < 0 ? text.length : end + terminator.length;
}

const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;
const ATTRIBUTE = /\s*([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/y;

function readStartTag(
  text: string,
  lt: number,
): { element: XmlElement; selfClosing: boolean; end: number } | undefined {
  NAME.lastIndex = lt + 1;
  const nameMatch = NAME.exec(text);
  if (!nameMatch) throw new Error(`unreadable tag at character ${lt}`);
  const element: XmlElement = { name: nameMatch[0], attributes: {}, children: [], text: '' };
  let i = NAME.lastIndex;
  for (;;) {
    ATTRIBUTE.lastIndex = i;
    const attr = ATTRIBUTE.exec(text);
    if (!attr) break;
    element.attributes[attr[1]!] = decodeEntities(attr[2] ?? attr[3] ?? '');
    i = ATTRIBUTE.lastIndex;
  }
  while (i < text.length && /\s/.test(text[i]!)) i++;
  if (i >= text.length) return undefined;
  if (text.startsWith('/>', i)) return { element, selfClosing: true, end: i + 2 };
  if (text[i] === '>') return { element, selfClosing: false, end: i + 1 };
  if (text.indexOf('>', i) < 0) return undefined; // cut off inside an attribute
  throw new Error(`unreadable attributes in <${element.name}>`);
}

function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
    }
    return ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[e]!;
  });
}
