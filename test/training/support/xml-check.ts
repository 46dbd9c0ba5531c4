/**
 * A strict-enough XML well-formedness check for generated SVG: balanced and properly nested
 * tags, quoted attributes without raw "<" or "&", unique attributes per element, only the five
 * predefined or numeric entity references, no forbidden control characters. Returns the element
 * tree for further checks.
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_:][A-Za-z0-9_.:-]*$/;

function checkText(text: string, where: string): string {
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(text)) throw new Error(`${where}: forbidden control character`);
  if (text.includes("<")) throw new Error(`${where}: raw "<"`);
  return text.replace(/&([^;]*);?/g, (match, body: string) => {
    if (!match.endsWith(";")) throw new Error(`${where}: bare "&"`);
    const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
    if (body in named) return named[body]!;
    if (/^#[0-9]+$/.test(body)) return String.fromCodePoint(Number(body.slice(1)));
    if (/^#x[0-9a-fA-F]+$/.test(body)) return String.fromCodePoint(Number.parseInt(body.slice(2), 16));
    throw new Error(`${where}: unknown entity &${body};`);
  });
}

export function parseXml(xml: string): XmlElement {
  let i = 0;
  const root: XmlElement = { name: "#document", attributes: {}, children: [], text: "" };
  const stack: XmlElement[] = [root];
  while (i < xml.length) {
    const lt = xml.indexOf("<", i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    stack[stack.length - 1]!.text += checkText(text, `text at ${i}`);
    if (lt < 0) break;
    const gt = xml.indexOf(">", lt);
    if (gt < 0) throw new Error(`unclosed tag at ${lt}`);
    const tag = xml.slice(lt + 1, gt);
    i = gt + 1;
    if (tag.startsWith("?") || tag.startsWith("!--")) continue;
    if (tag.startsWith("/")) {
      const name = tag.slice(1).trim();
      const open = stack.pop()!;
      if (open.name !== name) throw new Error(`</${name}> closes <${open.name}>`);
      continue;
    }
    const selfClosing = tag.endsWith("/");
    const body = selfClosing ? tag.slice(0, -1) : tag;
    const nameMatch = /^\S+/.exec(body);
    if (nameMatch === null || !NAME.test(nameMatch[0])) throw new Error(`bad element name in <${tag}>`);
    const element: XmlElement = { name: nameMatch[0], attributes: {}, children: [], text: "" };
    let rest = body.slice(nameMatch[0].length);
    const attr = /^\s+([A-Za-z_:][A-Za-z0-9_.:-]*)="([^"]*)"/;
    for (;;) {
      const m = attr.exec(rest);
      if (m === null) break;
      if (m[1]! in element.attributes) throw new Error(`duplicate attribute ${m[1]} on <${element.name}>`);
      element.attributes[m[1]!] = checkText(m[2]!, `attribute ${m[1]}`);
      rest = rest.slice(m[0].length);
    }
    if (rest.trim() !== "") throw new Error(`malformed attributes in <${tag}>: ${JSON.stringify(rest)}`);
    stack[stack.length - 1]!.children.push(element);
    if (!selfClosing) stack.push(element);
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (root.children.length !== 1) throw new Error(`expected one root element, found ${root.children.length}`);
  return root.children[0]!;
}

/** Every element in document order. */
export function allElements(element: XmlElement): XmlElement[] {
  return [element, ...element.children.flatMap(allElements)];
}
