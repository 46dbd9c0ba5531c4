/**
 * Checks for the HTML reports: the page stands alone (no script, no external resource of any
 * kind) and each inline SVG is well-formed XML, returned for further checks.
 */
import assert from "node:assert/strict";
import { parseXml, type XmlElement } from "./xml-check.js";

export function checkSelfContainedHtml(html: string): XmlElement[] {
  assert.match(html, /^<!DOCTYPE html>\n<html lang="en">/);
  assert.match(html, /<meta charset="utf-8">/);
  assert.doesNotMatch(html, /<script|<link|<img|<iframe|\bsrc=|\bhref=|@import|url\(\s*["']?(https?:|\/\/)/i, "nothing is fetched: no script, link, image, import or external url()");
  const stripped = html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, "");
  assert.doesNotMatch(stripped, /https?:\/\//, "no URL besides the SVG namespace");
  const svgs = [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((m) => parseXml(m[0]));
  for (const svg of svgs) assert.equal(svg.name, "svg");
  return svgs;
}

/** The text of an element and its descendants' texts. */
export function textsOf(element: XmlElement): string[] {
  return [element.text, ...element.children.flatMap(textsOf)].filter((t) => t.trim() !== "");
}
