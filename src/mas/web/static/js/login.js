// The login page: the password (when the server has one), else how to enter with the token URL.

import { api } from "./api.js";
import { $ } from "./dom.js";
import { preferredLang, setLang, t } from "./i18n.js";

async function start() {
  await setLang(preferredLang());
  const form = $("#login-form");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const status = $("#login-status");
    status.textContent = "";
    try {
      await api("POST", "/api/login", { password: $("#password").value });
      location.assign("/");
    } catch (err) {
      status.textContent = err.status === 403 ? t("login.wrong") : err.message;
    }
  });
  document.body.dataset.ready = "1";
}

start();
