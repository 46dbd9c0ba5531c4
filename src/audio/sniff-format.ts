/**
 * Recognising an audio file from its first bytes — never from its name. Knows the formats the
 * built-in decoders read, and names the common ones they do not (so the error can say
 * "this is M4A" instead of "unknown").
 */
import { findMpegFrame } from "./mpeg-frame-header.js";
import { firstOggPacket } from "./ogg-pages.js";
import { skipId3v2 } from "./id3.js";

/** Formats the built-in decoders handle. */
export type BuiltinAudioFormat = "wav" | "mp3" | "flac" | "ogg-flac" | "ogg-vorbis" | "ogg-opus";

export interface DetectedAudioFormat {
  /** The built-in decoder to use; undefined when the format is unsupported or unknown. */
  readonly format: BuiltinAudioFormat | undefined;
  /** Human-readable name, e.g. "Ogg Opus", "MP4/M4A", "unknown". */
  readonly name: string;
  /** Set for content that is recognisably not audio at all (a web page, JSON, MIDI). */
  readonly notAudio?: true;
}

const BUILTIN_NAMES: Record<BuiltinAudioFormat, string> = {
  wav: "WAV",
  mp3: "MP3",
  flac: "FLAC",
  "ogg-flac": "Ogg FLAC",
  "ogg-vorbis": "Ogg Vorbis",
  "ogg-opus": "Ogg Opus",
};

// How far past an ID3v2 tag (or leading zero bytes) to look for the first MPEG frame.
const MPEG_SCAN_BYTES = 64 * 1024;

/** Identifies the format of an encoded audio file from its content. */
export function detectAudioFormat(bytes: Uint8Array): DetectedAudioFormat {
  return detectAt(bytes, 0);
}

function detectAt(bytes: Uint8Array, start: number): DetectedAudioFormat {
  const at = (offset: number, text: string) => matches(bytes, start + offset, text);
  const builtin = (format: BuiltinAudioFormat): DetectedAudioFormat => ({ format, name: BUILTIN_NAMES[format] });
  const other = (name: string): DetectedAudioFormat => ({ format: undefined, name });

  if ((at(0, "RIFF") || at(0, "RIFX") || at(0, "RF64") || at(0, "BW64")) && at(8, "WAVE")) return builtin("wav");
  if (at(0, "RIFF") && at(8, "AVI ")) return other("AVI");
  if (at(0, "RIFF")) return other(`RIFF (${ascii(bytes, start + 8, 4)})`);
  if (at(0, "fLaC")) return builtin("flac");
  if (at(0, "OggS")) return detectOgg(start === 0 ? bytes : bytes.subarray(start));
  if (at(0, "ID3")) {
    // ID3v2 is an MP3 convention: unless another format follows the tag, hand it to the MP3
    // decoder, which says "truncated or corrupt" if there are no frames.
    const tagEnd = skipId3v2(bytes, start);
    const after = tagEnd === start ? undefined : detectAt(bytes, tagEnd);
    return after === undefined || after.name === "unknown" ? builtin("mp3") : after;
  }
  if (at(4, "ftyp")) {
    const brand = ascii(bytes, start + 8, 4);
    return other(brand.startsWith("3g") ? "3GP" : brand === "qt  " ? "QuickTime" : `MP4/M4A (brand "${brand.trim()}")`);
  }
  if (bytes[start] === 0x1a && bytes[start + 1] === 0x45 && bytes[start + 2] === 0xdf && bytes[start + 3] === 0xa3) {
    return other(findAscii(bytes, start, 64, "webm") ? "WebM" : "Matroska");
  }
  if (at(0, "FORM") && at(8, "AIFF")) return other("AIFF");
  if (at(0, "FORM") && at(8, "AIFC")) return other("AIFF-C");
  if (at(0, "caff")) return other("CAF (Core Audio)");
  if (at(0, ".snd")) return other("Sun AU");
  if (at(0, "#!AMR")) return other("AMR");
  if (at(0, "wvpk")) return other("WavPack");
  if (at(0, "MAC ")) return other("Monkey's Audio (APE)");
  if (at(0, "ADIF")) return other("AAC (ADIF)");
  if (at(0, "MThd")) return { format: undefined, name: "MIDI (notes, not recorded sound)", notAudio: true };
  if (at(0, ".RMF") || at(0, ".ra\xfd")) return other("RealMedia");
  if (at(0, "FLV")) return other("FLV");
  if (at(0, "DSD ") || at(0, "FRM8")) return other("DSD audio");
  if (at(0, "\x30\x26\xb2\x75\x8e\x66\xcf\x11")) return other("ASF/WMA");

  if (bytes[start] === 0xff && (bytes[start + 1]! & 0xf6) === 0xf0) return other("AAC (ADTS)");
  // MPEG audio: at the start, or after an ID3 tag, padding or leading zero bytes.
  let first = start;
  while (first < bytes.length && bytes[first] === 0) first++;
  const found = findMpegFrame(bytes, first, first === start && start === 0 ? 0 : MPEG_SCAN_BYTES);
  if (found !== undefined) return mpegFormat(found.header.layer);

  const text = textKind(bytes, start);
  if (text !== undefined) return { format: undefined, name: text, notAudio: true };
  return other("unknown");
}

function mpegFormat(layer: 1 | 2 | 3): DetectedAudioFormat {
  return layer === 3 ? { format: "mp3", name: "MP3" } : { format: undefined, name: layer === 2 ? "MPEG-1 Layer II (MP2)" : "MPEG-1 Layer I (MP1)" };
}

function detectOgg(bytes: Uint8Array): DetectedAudioFormat {
  const packet = firstOggPacket(bytes);
  const other = (name: string): DetectedAudioFormat => ({ format: undefined, name });
  if (packet === undefined) return other("Ogg (cut short or corrupt first page)");
  if (matches(packet, 0, "\x01vorbis")) return { format: "ogg-vorbis", name: "Ogg Vorbis" };
  if (matches(packet, 0, "OpusHead")) return { format: "ogg-opus", name: "Ogg Opus" };
  if (matches(packet, 0, "\x7fFLAC")) return { format: "ogg-flac", name: "Ogg FLAC" };
  if (matches(packet, 0, "Speex   ")) return other("Ogg Speex");
  if (matches(packet, 0, "\x80theora")) return other("Ogg Theora (video)");
  if (matches(packet, 0, "fishead\0")) return other("Ogg with a Skeleton stream");
  return other("Ogg (unknown codec)");
}

function textKind(bytes: Uint8Array, start: number): string | undefined {
  const head = bytes.subarray(start, start + 256);
  if (head.length === 0) return undefined;
  for (const b of head) if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b)) return undefined;
  const text = new TextDecoder().decode(head).trimStart().toLowerCase();
  if (text.startsWith("<!doctype html") || text.startsWith("<html")) return "HTML (a web page)";
  if (text.startsWith("<")) return "XML/HTML text";
  if (text.startsWith("{") || text.startsWith("[")) return "JSON text";
  return "plain text";
}

function matches(bytes: Uint8Array, offset: number, text: string): boolean {
  if (offset + text.length > bytes.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[offset + i] !== text.charCodeAt(i)) return false;
  return true;
}

function findAscii(bytes: Uint8Array, start: number, span: number, text: string): boolean {
  for (let i = start; i < Math.min(bytes.length, start + span); i++) if (matches(bytes, i, text)) return true;
  return false;
}

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  let s = "";
  for (let i = offset; i < Math.min(offset + length, bytes.length); i++) {
    const b = bytes[i]!;
    s += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : "?";
  }
  return s;
}
