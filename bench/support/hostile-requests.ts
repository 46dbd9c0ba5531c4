/**
 * The hostile requests of the load test: each class of bad input a public server meets, sent
 * over its own connection, with the 4xx it must get. `send` resolves with the status (or
 * "no response" when the server cut the connection without answering, "dropped" for the
 * clients that hang up on purpose).
 */
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { encodeWav } from "../../src/audio/index.js";

export interface HostileRequest {
  name: string;
  /** Acceptable statuses (all 4xx); empty for requests that expect no answer. */
  expect: number[];
  send(baseUrl: string): Promise<number | "no response" | "dropped">;
}

interface RawSpec {
  method?: string;
  path: string;
  headers?: Record<string, string | number>;
  chunks?: Array<Buffer | string>;
  delayMs?: number;
  keepOpen?: boolean;
}

/** One request on a fresh connection; resolves with the status as soon as a response comes. */
function raw(baseUrl: string, spec: RawSpec): Promise<number | "no response"> {
  return new Promise((resolve) => {
    const req = httpRequest(new URL(spec.path, baseUrl), { method: spec.method ?? "POST", headers: spec.headers ?? {}, agent: false });
    let answered = false;
    req.on("response", (res) => {
      answered = true;
      res.resume();
      res.on("end", () => {
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
    });
    req.on("error", () => {
      if (!answered) resolve("no response");
    });
    void (async () => {
      for (const chunk of spec.chunks ?? []) {
        if (answered || req.destroyed) return;
        req.write(chunk);
        if (spec.delayMs !== undefined) await new Promise((r) => setTimeout(r, spec.delayMs));
      }
      if (!spec.keepOpen && !req.destroyed) req.end();
    })();
  });
}

/** Sends the head and part of the body, then hangs up. */
function hangUp(baseUrl: string, body: Buffer): Promise<"dropped"> {
  const url = new URL(baseUrl);
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname, () => {
      socket.write(`POST /classify HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: audio/wav\r\nContent-Length: ${body.length}\r\n\r\n`);
      socket.write(body.subarray(0, body.length >> 1), () => {
        socket.destroy();
        resolve("dropped");
      });
    });
    socket.on("error", () => resolve("dropped"));
  });
}

function sized(body: Buffer | string, type: string): Pick<RawSpec, "headers" | "chunks"> {
  return { headers: { "content-type": type, "content-length": Buffer.byteLength(body) }, chunks: [body] };
}

function multipart(parts: string, boundary = "xyz"): Pick<RawSpec, "headers" | "chunks"> {
  return sized(parts, `multipart/form-data; boundary=${boundary}`);
}

/** The catalogue; `clip` is a valid WAV file (for truncation), `maxBodyBytes` the server's limit. */
export function hostileRequests(clip: Buffer, maxBodyBytes: number, maxAudioSeconds: number): HostileRequest[] {
  const tooLong = Buffer.from(encodeWav([new Float32Array(Math.ceil((maxAudioSeconds + 5) * 8000))], 8000));
  const oversized = Buffer.alloc(maxBodyBytes + 1_000_000, 7);
  const dribble = Array.from({ length: 200 }, (_, i) => clip.subarray(i * 4, i * 4 + 4));
  return [
    { name: "truncated WAV (header cut)", expect: [422], send: (u) => raw(u, { path: "/classify", ...sized(clip.subarray(0, 44), "audio/wav") }) },
    { name: "not audio (text as audio/wav)", expect: [415], send: (u) => raw(u, { path: "/classify", ...sized("hello, I am not a sound", "audio/wav") }) },
    { name: "wrong Content-Type (text/plain)", expect: [415], send: (u) => raw(u, { path: "/classify", ...sized(clip, "text/plain") }) },
    { name: "wrong Content-Type (JSON to /classify)", expect: [415], send: (u) => raw(u, { path: "/classify", ...sized('{"inputs":"AAAA"}', "application/json") }) },
    { name: "empty body", expect: [400], send: (u) => raw(u, { path: "/classify", ...sized(Buffer.alloc(0), "audio/wav") }) },
    { name: "bad option (top_k=0)", expect: [400], send: (u) => raw(u, { path: "/classify?top_k=0", ...sized(clip, "audio/wav") }) },
    { name: "unknown option (topk=3)", expect: [400], send: (u) => raw(u, { path: "/classify?topk=3", ...sized(clip, "audio/wav") }) },
    { name: "garbage multipart", expect: [400], send: (u) => raw(u, { path: "/classify", ...multipart("this is not multipart at all \r\n--xy") }) },
    { name: "multipart cut mid-part", expect: [400], send: (u) => raw(u, { path: "/classify", ...multipart('--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n\r\nRIFF') }) },
    { name: "multipart without a file", expect: [400], send: (u) => raw(u, { path: "/classify", ...multipart('--xyz\r\nContent-Disposition: form-data; name="top_k"\r\n\r\n3\r\n--xyz--\r\n') }) },
    { name: "malformed JSON (HF API route)", expect: [400], send: (u) => raw(u, { path: "/models/x", ...sized("{ inputs: ", "application/json") }) },
    { name: "oversized, announced (Content-Length)", expect: [413], send: (u) => raw(u, { path: "/classify", headers: { "content-type": "audio/wav", "content-length": maxBodyBytes * 2 }, chunks: [clip], keepOpen: true }) },
    { name: "oversized, streamed (chunked)", expect: [413], send: (u) => raw(u, { path: "/classify", headers: { "content-type": "application/octet-stream" }, chunks: [oversized.subarray(0, maxBodyBytes >> 1), oversized.subarray(maxBodyBytes >> 1)] }) },
    { name: `audio longer than ${maxAudioSeconds} s`, expect: [413], send: (u) => raw(u, { path: "/classify", ...sized(tooLong, "audio/wav") }) },
    { name: "slow sender (4 bytes / 250 ms)", expect: [408], send: (u) => raw(u, { path: "/classify", headers: { "content-type": "audio/wav", "content-length": 800 }, chunks: dribble, delayMs: 250 }) },
    { name: "body shorter than Content-Length, stalled", expect: [408], send: (u) => raw(u, { path: "/classify", headers: { "content-type": "audio/wav", "content-length": clip.length }, chunks: [clip.subarray(0, 100)], keepOpen: true }) },
    { name: "client hangs up mid-upload", expect: [], send: (u) => hangUp(u, clip) },
  ];
}
