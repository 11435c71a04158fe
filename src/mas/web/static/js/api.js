// The API client: JSON in and out, the CSRF header on every state-changing request (double submit).

export class ApiError extends Error {
  constructor(status, detail, error) {
    super(detail);
    this.status = status;
    this.error = error || null;
  }
}

function cookie(name) {
  for (const part of document.cookie.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return "";
}

export function csrfToken() {
  const port = location.port || (location.protocol === "https:" ? "443" : "80");
  return cookie(`mas_csrf_${port}`);
}

// The page's language (the menu's choice, kept by i18n.js): the server says its errors in it.
function pageLang() {
  return localStorage.getItem("mas.lang") || "en";
}

export async function api(method, path, body) {
  const headers = { Accept: "application/json", "X-MAS-Lang": pageLang() };
  if (method !== "GET") headers["X-CSRF-Token"] = csrfToken();
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, {
    method, headers, credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let data = null;
  const type = response.headers.get("content-type") || "";
  if (type.includes("application/json")) data = await response.json();
  if (!response.ok) {
    if (response.status === 401) location.assign("/login");
    const detail = data && data.detail ? (typeof data.detail === "string" ? data.detail : JSON.stringify(data.detail))
      : `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, detail, data && data.error);
  }
  return data;
}

// A file's bytes as the request body (the data page's import): the CSRF header, query parameters in the path.
export async function upload(path, file) {
  const response = await fetch(path, {
    method: "POST", credentials: "same-origin", body: file,
    headers: { Accept: "application/json", "Content-Type": "application/octet-stream", "X-CSRF-Token": csrfToken(),
      "X-MAS-Lang": pageLang() },
  });
  const data = (response.headers.get("content-type") || "").includes("application/json") ? await response.json() : null;
  if (!response.ok) {
    if (response.status === 401) location.assign("/login");
    throw new ApiError(response.status, data && data.detail ? String(data.detail) : `${response.status} ${response.statusText}`,
      data && data.error);
  }
  return data;
}
