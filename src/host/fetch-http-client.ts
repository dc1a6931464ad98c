/** The HttpClient over the runtime's `fetch` (Bun, workerd, Deno and Node all have it). */
import type { HttpClient, HttpRequest, HttpResponse } from "../ports/http-client.ts";

function encodeBody(request: HttpRequest): string | undefined {
  if (request.body === undefined || request.body === null || request.method === "GET" || request.method === "HEAD") return undefined;
  return typeof request.body === "string" ? request.body : JSON.stringify(request.body);
}

async function decodeBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === "") return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export const fetchHttpClient: HttpClient = {
  async send(request) {
    const response = await fetch(request.uri, {
      method: request.method,
      headers: { accept: request.accept, "content-type": request.contentType, ...request.headers },
      body: encodeBody(request),
      signal: AbortSignal.timeout(request.connectionTimeOut + request.readTimeOut),
    });
    const headers: Record<string, string[]> = {};
    response.headers.forEach((value, name) => (headers[name] ??= []).push(value));
    const result: HttpResponse = { statusCode: response.status, reasonPhrase: response.statusText, headers, body: await decodeBody(response) };
    return result;
  },
};
