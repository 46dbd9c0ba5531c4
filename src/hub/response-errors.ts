/**
 * Turns a failed hub response into the typed error a user can act on. The hub says what went
 * wrong in X-Error-Code (RepoNotFound, GatedRepo, RevisionNotFound, EntryNotFound) and
 * X-Error-Message, as huggingface_hub's `hf_raise_for_status` reads them.
 */
import {
  EntryNotFoundError,
  GatedRepoError,
  HubAuthError,
  HubHttpError,
  RepositoryNotFoundError,
  RevisionNotFoundError,
  type HubError,
} from "./errors.js";
import { headerValue, readBodyText, type HttpResponse } from "./http-client.js";
import { displayUrl, redactSecrets } from "./token.js";

export interface ResponseContext {
  id: string;
  revision: string;
  endpoint: string;
  /** The repo file requested, for resolve/ URLs. */
  file?: string;
  /** Whether an Authorization header went with the request (changes the advice). */
  tokenSent: boolean;
  /** The token, only to scrub it from server text. */
  token?: string;
}

export async function errorFromResponse(res: HttpResponse, ctx: ResponseContext): Promise<HubError> {
  const code = headerValue(res.headers, "x-error-code");
  const serverMessage = serverText(headerValue(res.headers, "x-error-message") ?? extractMessage(await readBodyText(res.body)), ctx.token);
  const status = res.status;
  const said = serverMessage ? ` The server said: ${serverMessage}` : "";
  const page = `${ctx.endpoint}/${ctx.id}`;
  const tokenAdvice = ctx.tokenSent
    ? "the token that was sent has no access to it (check it at https://huggingface.co/settings/tokens)"
    : "set HF_TOKEN (or run `huggingface-cli login`) with a token that can read it";

  if (code === "GatedRepo") {
    return new GatedRepoError(
      ctx.id,
      `Model '${ctx.id}' at ${ctx.endpoint} is gated (HTTP ${status}): ` +
        (ctx.tokenSent
          ? `the token that was sent has not been granted access; accept the conditions at ${page} with that account.`
          : `accept its conditions at ${page}, then set HF_TOKEN (or run \`huggingface-cli login\`) with a token of that account.`) +
        said,
    );
  }
  if (code === "RepoNotFound" || (status === 404 && code === undefined && ctx.file === undefined)) {
    return new RepositoryNotFoundError(
      ctx.id,
      ctx.endpoint,
      `Model '${ctx.id}' was not found at ${ctx.endpoint} (HTTP ${status}). Check the id (it looks like "org/name", ` +
        `e.g. "MIT/ast-finetuned-speech-commands-v2"); if the repo is private, ${tokenAdvice}.` +
        said,
    );
  }
  if (code === "RevisionNotFound") {
    return new RevisionNotFoundError(
      ctx.id,
      ctx.revision,
      `Revision '${ctx.revision}' of '${ctx.id}' was not found at ${ctx.endpoint} (HTTP ${status}). ` +
        `Use an existing branch, tag or full commit sha (see ${page}/tree/main), or omit it for "main".` +
        said,
    );
  }
  if (ctx.file !== undefined && (code === "EntryNotFound" || status === 404)) {
    return new EntryNotFoundError(
      ctx.id,
      ctx.file,
      `File '${ctx.file}' is not in '${ctx.id}' at revision '${ctx.revision}' on ${ctx.endpoint} (HTTP ${status}). ` +
        `Check the file list at ${page}/tree/${encodeURIComponent(ctx.revision)}.` +
        said,
    );
  }
  if (status === 401) {
    return new HubAuthError(
      status,
      `${displayUrl(res.url)} requires authentication (HTTP 401) for '${ctx.id}': ` +
        (ctx.tokenSent ? "the token was rejected (expired or revoked?); create a new one at https://huggingface.co/settings/tokens." : `${tokenAdvice}.`) +
        said,
    );
  }
  if (status === 403) {
    return new HubAuthError(
      status,
      `Access to '${ctx.id}' was refused (HTTP 403) at ${displayUrl(res.url)}: ${tokenAdvice} ` +
        `(a fine-grained token needs read access to this repo).` +
        said,
    );
  }
  const retryAfter = Number(headerValue(res.headers, "retry-after"));
  const hint =
    status === 429
      ? "the hub is rate-limiting requests; wait a little and retry, or authenticate (HF_TOKEN) for higher limits."
      : status >= 500
        ? "the hub (or your proxy) is having trouble; retry later, or set HF_HUB_OFFLINE=1 to use the cache."
        : "this was not expected from a Hugging Face hub; check HF_ENDPOINT.";
  return new HubHttpError(
    status,
    displayUrl(res.url),
    `HTTP ${status} from ${displayUrl(res.url)} for '${ctx.id}': ${hint}${said}`,
    Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : undefined,
  );
}

function extractMessage(body: string): string {
  const text = body.trim();
  if (text.startsWith("{")) {
    try {
      const parsed = JSON.parse(text) as { error?: unknown; message?: unknown };
      const message = parsed.error ?? parsed.message;
      if (typeof message === "string") return message;
    } catch {
      // not JSON after all: fall through to the raw text
    }
  }
  return text.startsWith("<") ? "" : text; // HTML error pages say nothing useful
}

/** Server-provided text, one line, bounded, with secrets removed. */
function serverText(text: string, token: string | undefined): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  const bounded = oneLine.length > 300 ? oneLine.slice(0, 297) + "..." : oneLine;
  return redactSecrets(bounded, token);
}
