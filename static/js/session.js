/* The session notice of signed-in pages (issue 15, "nothing typed is lost").
 *
 * <body> says how many seconds the session had left when the page was drawn and how long before the end
 * to warn (data-session-seconds-left, data-session-warning-seconds); the notice and all its words are in
 * the page (templates/includes/session_notice.html), translated there. Shortly before the end the notice
 * offers 연장: its form is posted (with its CSRF token) and the answer says the seconds now left. After the
 * end it says so. On a page with a form that keeps what was typed (an input named held_token, see
 * civicbureau/held.py) it also says that those figures are not lost.
 *
 * Tabs share the latest end they know through localStorage, so one tab's activity is not taken for idleness
 * in another. Times are the browser's clock from the moment the page arrived, never the server's clock. */
(function () {
  "use strict";
  var body = document.body;
  var notice = document.getElementById("session-notice");
  if (!notice || !body.dataset.sessionSecondsLeft) { return; }

  var STORE = "civicbureau.session-end";
  var warnBefore = parseInt(body.dataset.sessionWarningSeconds, 10) * 1000;
  var end = Date.now() + parseInt(body.dataset.sessionSecondsLeft, 10) * 1000;
  var warning = notice.querySelector("[data-session-state='warning']");
  var ended = notice.querySelector("[data-session-state='ended']");
  var left = notice.querySelector("[data-session-left]");
  var extendForm = document.getElementById("session-extend");
  var timer = null;
  var focusBefore = null;

  if (document.querySelector("form input[name='held_token']")) {
    notice.querySelectorAll("[data-session-kept]").forEach(function (p) { p.hidden = false; });
  }

  function sharedEnd() {
    try { return parseInt(window.localStorage.getItem(STORE), 10) || 0; } catch (e) { return 0; }
  }

  function share() {
    try { window.localStorage.setItem(STORE, String(Math.max(end, sharedEnd()))); } catch (e) { /* storage refused: this tab alone */ }
  }

  function clock(ms) {
    var seconds = Math.max(0, Math.ceil(ms / 1000));
    var rest = seconds % 60;
    return Math.floor(seconds / 60) + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function open(state) {
    var isEnded = state === "ended";
    warning.hidden = isEnded;
    ended.hidden = !isEnded;
    notice.setAttribute("aria-labelledby", isEnded ? "session-ended-title" : "session-notice-title");
    notice.setAttribute("aria-describedby", isEnded ? "session-ended-text" : "session-notice-text");
    if (notice.dataset.state === state) { return; }
    notice.dataset.state = state;
    if (!notice.open) {
      focusBefore = document.activeElement;
      notice.show();  // not modal: the page stays usable, so typed figures can still be saved
    }
    (isEnded ? ended.querySelector("a") : extendForm.querySelector("button")).focus();
  }

  function close() {
    if (!notice.open) { return; }
    delete notice.dataset.state;
    notice.close();
    if (focusBefore && document.contains(focusBefore)) { focusBefore.focus(); }
  }

  function check() {
    window.clearTimeout(timer);
    end = Math.max(end, sharedEnd());
    var remaining = end - Date.now();
    if (remaining <= 0) {
      open("ended");
      return;
    }
    if (remaining <= warnBefore) {
      left.textContent = clock(remaining);
      open("warning");
      timer = window.setTimeout(check, Math.min(1000, remaining));
      return;
    }
    if (notice.dataset.state === "warning") { close(); }
    timer = window.setTimeout(check, remaining - warnBefore);
  }

  extendForm.addEventListener("submit", function (event) {
    event.preventDefault();
    window.fetch(extendForm.action, {
      method: "POST",
      body: new FormData(extendForm),
      credentials: "same-origin",
      redirect: "manual",  // a session already ended answers with the login page: not followed
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error("session ended"); }
      return response.json();
    }).then(function (answer) {
      end = Date.now() + answer.seconds_left * 1000;
      share();
      close();
      check();
    }).catch(function () {
      end = 0;
      open("ended");
    });
  });

  notice.querySelector("[data-session-close]").addEventListener("click", close);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { check(); } });
  window.addEventListener("storage", function (event) { if (event.key === STORE) { check(); } });
  share();
  check();
}());
