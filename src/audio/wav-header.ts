/**
 * Parsing of a WAV file's chunk structure (RIFF, RIFX, RF64/BW64): finds the `fmt ` and `data`
 * chunks, skips everything else (LIST, fact, bext, cue, JUNK, …, with their pad bytes), and
 * reports where the samples are and how they are stored.
 */
import { AudioDecodeError, UnsupportedAudioFormatError } from "./errors.js";

export type WavEncoding = "pcm" | "float" | "mulaw" | "alaw";

export interface WavLayout {
  /** The file's magic: RIFF (little-endian), RIFX (big-endian), RF64/BW64 (64-bit sizes). */
  readonly container: "RIFF" | "RIFX" | "RF64" | "BW64";
  readonly littleEndian: boolean;
  readonly encoding: WavEncoding;
  readonly channels: number;
  readonly sampleRate: number;
  /** Bits per sample as declared in `fmt ` (e.g. 20 for 20-bit audio in 24-bit containers). */
  readonly bitsPerSample: number;
  /** Storage width of one sample; PCM is scaled by 2^(8·bytesPerSample − 1). */
  readonly bytesPerSample: number;
  /** Bytes per frame (all channels). */
  readonly blockAlign: number;
  /** WAVE_FORMAT_EXTENSIBLE dwChannelMask, when present and non-zero. */
  readonly channelMask: number | undefined;
  /** Offset of the first sample byte. */
  readonly dataOffset: number;
  /** Sample bytes present: the declared size, or to the end of the file for streamed WAVs. */
  readonly dataBytes: number;
  /** The data chunk declares more bytes than the file holds. */
  readonly truncated: boolean;
  /** Size the data chunk declares (undefined for streamed WAVs, whose size field is 0 or 0xFFFFFFFF). */
  readonly declaredDataBytes: number | undefined;
}

/** Compressed WAV format tags we name in errors (all decodable by ffmpeg). */
const COMPRESSED_FORMAT_TAGS: Record<number, string> = {
  0x0002: "Microsoft ADPCM",
  0x0011: "IMA ADPCM",
  0x0031: "GSM 6.10",
  0x0040: "G.721 ADPCM",
  0x0050: "MPEG audio",
  0x0055: "MP3",
  0x0064: "G.726 ADPCM",
  0x00ff: "AAC",
  0x0161: "WMA",
  0x0162: "WMA Pro",
  0x0163: "WMA Lossless",
  0x1610: "AAC",
  0x2000: "AC-3",
  0x2001: "DTS",
  0xf1ac: "FLAC",
};

// Bytes 2–15 of KSDATAFORMAT_SUBTYPE_* GUIDs (the first two bytes hold the format tag):
// the Microsoft base {xxxx0000-0000-0010-8000-00AA00389B71} and the ambisonic B-format base.
const MEDIASUBTYPE_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];
const AMBISONIC_TAIL = [0x00, 0x00, 0x21, 0x07, 0xd3, 0x11, 0x86, 0x44, 0xc8, 0xc1, 0xca, 0x00, 0x00, 0x00];

const STREAMED_SIZE = 0xffffffff;

interface FmtChunk {
  encoding: WavEncoding;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  bytesPerSample: number;
  blockAlign: number;
  channelMask: number | undefined;
}

/**
 * Reads the chunk structure of a WAV file. Throws AudioDecodeError / UnsupportedAudioFormatError.
 * `fileBytes`: the whole file's size when `bytes` is only its beginning (a file read as a
 * stream): the samples present are then counted to the end of the file, not of `bytes`.
 */
export function parseWavHeader(bytes: Uint8Array, input: string, fileBytes = bytes.length): WavLayout {
  const fail = (message: string): never => {
    throw new AudioDecodeError(input, `cannot decode ${input} as WAV: ${message}`);
  };
  if (bytes.length < 12) fail(`the header is cut short (${bytes.length} bytes; a WAV header needs at least 44)`);
  const container = ascii(bytes, 0) as WavLayout["container"];
  if (container !== "RIFF" && container !== "RIFX" && container !== "RF64" && container !== "BW64") {
    fail(`it does not start with RIFF, RIFX or RF64 (found ${JSON.stringify(ascii(bytes, 0))})`);
  }
  if (ascii(bytes, 8) !== "WAVE") fail(`the RIFF form type is ${JSON.stringify(ascii(bytes, 8))}, not "WAVE"`);
  const littleEndian = container !== "RIFX";
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u32 = (offset: number) => view.getUint32(offset, littleEndian);

  let fmt: FmtChunk | undefined;
  let data: { offset: number; declared: number | undefined } | undefined;
  let ds64DataSize: number | undefined;
  let pos = 12;
  while (pos + 8 <= bytes.length) {
    const id = ascii(bytes, pos);
    const size = u32(pos + 4);
    const body = pos + 8;
    const remaining = bytes.length - body;
    if (!isChunkId(bytes, pos)) fail(`corrupt chunk header at byte ${pos} (id bytes ${hex(bytes.subarray(pos, pos + 4))})`);

    if (id === "data") {
      let declared: number | undefined = size;
      if ((container === "RF64" || container === "BW64") && size === STREAMED_SIZE && ds64DataSize !== undefined) {
        declared = ds64DataSize;
      } else if (size === STREAMED_SIZE || (size === 0 && remaining > 0)) {
        declared = undefined; // streamed (written to a pipe): the samples run to the end of the file
      }
      data = { offset: body, declared };
      if (fmt !== undefined || declared === undefined || declared > remaining) break;
      pos = nextChunk(bytes, body, declared);
      continue;
    }
    if (size > remaining) {
      if (data !== undefined) break; // a cut-short trailing chunk after the samples does not matter
      fail(`chunk ${JSON.stringify(id)} at byte ${pos} declares ${size} bytes but only ${remaining} follow: the file is truncated or corrupt`);
    }
    if (id === "fmt ") fmt = parseFmt(bytes, view, body, size, littleEndian, input);
    else if (id === "ds64") {
      if (size < 24) fail(`the ds64 chunk is ${size} bytes, it needs at least 24`);
      ds64DataSize = Number(view.getBigUint64(body + 8, true));
    }
    pos = nextChunk(bytes, body, size);
  }

  if (fmt === undefined) {
    fail(`there is no "fmt " chunk (${bytes.length} bytes read): the header is cut short or corrupt`);
  }
  if (data === undefined) {
    fail(`there is no "data" chunk (${bytes.length} bytes read): the file is truncated or holds no samples`);
  }
  const available = fileBytes - data!.offset;
  const declared = data!.declared;
  return {
    container,
    littleEndian,
    ...fmt!,
    dataOffset: data!.offset,
    dataBytes: declared === undefined ? available : Math.min(declared, available),
    truncated: declared !== undefined && declared > available,
    declaredDataBytes: declared,
  };
}

function parseFmt(bytes: Uint8Array, view: DataView, body: number, size: number, littleEndian: boolean, input: string): FmtChunk {
  const fail = (message: string): never => {
    throw new AudioDecodeError(input, `cannot decode ${input} as WAV: ${message}`);
  };
  if (size < 16) fail(`the "fmt " chunk is ${size} bytes, it needs at least 16`);
  const u16 = (offset: number) => view.getUint16(offset, littleEndian);
  let tag = u16(body);
  const channels = u16(body + 2);
  const sampleRate = view.getUint32(body + 4, littleEndian);
  let blockAlign = u16(body + 12);
  const bitsPerSample = u16(body + 14);
  let channelMask: number | undefined;
  if (tag === 0xfffe) {
    if (size < 40) fail(`WAVE_FORMAT_EXTENSIBLE needs a 40-byte "fmt " chunk, this one is ${size} bytes`);
    const mask = view.getUint32(body + 20, littleEndian);
    channelMask = mask === 0 ? undefined : mask;
    const guid = bytes.subarray(body + 24, body + 40);
    const tail = Array.from(guid.subarray(2));
    if (!sameBytes(tail, MEDIASUBTYPE_TAIL) && !sameBytes(tail, AMBISONIC_TAIL)) {
      throw new UnsupportedAudioFormatError(
        input,
        "WAV (unknown sub-format)",
        `cannot decode ${input}: WAVE_FORMAT_EXTENSIBLE with an unknown sub-format GUID (${hex(guid)}); pass decoder: "ffmpeg" or convert it to PCM WAV`,
      );
    }
    tag = u16(body + 24);
  }
  if (channels === 0) fail(`the "fmt " chunk declares 0 channels`);
  if (sampleRate === 0) fail(`the "fmt " chunk declares a sample rate of 0 Hz`);

  let encoding: WavEncoding;
  let bytesPerSample: number;
  if (tag === 1) {
    if (bitsPerSample < 1 || bitsPerSample > 32) {
      throw new UnsupportedAudioFormatError(input, `WAV (${bitsPerSample}-bit PCM)`,
        `cannot decode ${input}: ${bitsPerSample}-bit integer PCM is not supported (1–32 bits are); pass decoder: "ffmpeg" or convert it`);
    }
    encoding = "pcm";
    bytesPerSample = Math.ceil(bitsPerSample / 8);
    // Samples narrower than their container (20 bits in 32) are left-justified: use the container.
    const container = blockAlign / channels;
    if (blockAlign !== 0 && Number.isInteger(container) && container > bytesPerSample && container <= 4) bytesPerSample = container;
  } else if (tag === 3) {
    if (bitsPerSample !== 32 && bitsPerSample !== 64) {
      throw new UnsupportedAudioFormatError(input, `WAV (${bitsPerSample}-bit float)`,
        `cannot decode ${input}: ${bitsPerSample}-bit floating-point samples are not supported (32 and 64 are); pass decoder: "ffmpeg" or convert it`);
    }
    encoding = "float";
    bytesPerSample = bitsPerSample / 8;
  } else if (tag === 6 || tag === 7) {
    if (bitsPerSample !== 8) fail(`${tag === 6 ? "A-law" : "µ-law"} samples must be 8-bit, the header says ${bitsPerSample}`);
    encoding = tag === 6 ? "alaw" : "mulaw";
    bytesPerSample = 1;
  } else {
    const name = COMPRESSED_FORMAT_TAGS[tag] ?? `format tag 0x${tag.toString(16).padStart(4, "0")}`;
    throw new UnsupportedAudioFormatError(input, `WAV (${name})`,
      `cannot decode ${input}: it is a WAV file holding ${name} audio, which the built-in decoder does not handle (it reads PCM, float, A-law and µ-law WAV); pass decoder: "ffmpeg" or convert it to PCM WAV`);
  }
  const expectedAlign = bytesPerSample * channels;
  if (blockAlign === 0) blockAlign = expectedAlign;
  if (blockAlign !== expectedAlign) {
    fail(`the "fmt " chunk declares ${blockAlign} bytes per frame, but ${channels} channel(s) of ${bitsPerSample}-bit samples need ${expectedAlign}`);
  }
  return { encoding, channels, sampleRate, bitsPerSample, bytesPerSample, blockAlign, channelMask };
}

/**
 * Chunks are padded to an even size. Some writers forget the pad byte; accept the unpadded
 * position when only it holds a plausible chunk id.
 */
function nextChunk(bytes: Uint8Array, body: number, size: number): number {
  const end = body + size;
  if ((size & 1) === 0) return end;
  if (!isChunkId(bytes, end + 1) && isChunkId(bytes, end)) return end;
  return end + 1;
}

function isChunkId(bytes: Uint8Array, offset: number): boolean {
  if (offset + 4 > bytes.length) return false;
  for (let i = offset; i < offset + 4; i++) if (bytes[i]! < 0x20 || bytes[i]! > 0x7e) return false;
  return true;
}

function ascii(bytes: Uint8Array, offset: number): string {
  let s = "";
  for (let i = offset; i < Math.min(offset + 4, bytes.length); i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");
}

function sameBytes(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
