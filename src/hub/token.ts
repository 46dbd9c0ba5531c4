/**
 * Where the access token comes from (same order as huggingface_hub's `get_token`) and how it is
 * kept out of every message we print or throw.
 */
import { readFileSync } from "node:fs";
import type { Env, HubEnvironment } from "./environment.js";

/**
 * The token to send: an explicit string wins; `false` means never send one; otherwise HF_TOKEN,
 * then the legacy HUGGING_FACE_HUB_TOKEN, then the token file (HF_TOKEN_PATH or $HF_HOME/token,
 * where `huggingface-cli login` writes it) — unless HF_HUB_DISABLE_IMPLICIT_TOKEN is set.
 */
export function resolveToken(explicit: string | false | undefined, env: Env, hubEnv: HubEnvironment): string | undefined {
  if (explicit === false) return undefined;
  if (typeof explicit === "string") return cleanToken(explicit);
  if (hubEnv.disableImplicitToken) return undefined;
  const fromEnv = cleanToken(env.HF_TOKEN ?? "") ?? cleanToken(env.HUGGING_FACE_HUB_TOKEN ?? "");
  if (fromEnv !== undefined) return fromEnv;
  try {
    return cleanToken(readFileSync(hubEnv.tokenPath, "utf8"));
  } catch {
    return undefined; // no token file: anonymous access, as huggingface_hub does
  }
}

function cleanToken(raw: string): string | undefined {
  const token = raw.replace(/[\r\n]/g, "").trim();
  return token === "" ? undefined : token;
}

/** Hugging Face user access tokens: "hf_" followed by a long alphanumeric secret. */
const TOKEN_PATTERN = /hf_[A-Za-z0-9]{16,}/g;
const BEARER_PATTERN = /(Bearer\s+)[^\s"',;]+/gi;

/**
 * Removes the token (and anything shaped like one) from text that came from a server or the
 * environment before it goes into an error message or onto stderr.
 */
export function redactSecrets(text: string, token?: string): string {
  let out = text;
  if (token !== undefined && token.length > 0) out = out.split(token).join("***");
  return out.replace(TOKEN_PATTERN, "hf_***").replace(BEARER_PATTERN, "$1***");
}

/** A URL as it may be shown to users: no credentials, no query string (signed CDN URLs). */
export function displayUrl(url: string | URL): string {
  try {
    const parsed = new URL(String(url));
    parsed.username = "";
    parsed.password = "";
    parsed.search = "";
    parsed.hash = "";
    return parsed.toString();
  } catch {
    return redactSecrets(String(url).split("?")[0] ?? "");
  }
}
