// Live consultation: receives chat events over Server-Sent Events and sends messages with
// fetch. The page works without this script (forms post and the page reloads); the script adds
// live delivery, a sound for agents when a visitor waits, and canned replies.
(function () {
  "use strict";

  function beep() {
    try {
      var ctx = new (window.AudioContext || window.webkitAudioContext)();
      var osc = ctx.createOscillator();
      var gain = ctx.createGain();
      osc.frequency.value = 880;
      gain.gain.value = 0.1;
      osc.connect(gain);
      gain.connect(ctx.destination);
      osc.start();
      osc.stop(ctx.currentTime + 0.3);
    } catch (e) { /* no audio: the queue still updates */ }
  }

  function who(m, staff) {
    if (m.Author === "visitor") { return staff ? "群众" : "我"; }
    if (m.Author === "agent") { return m.AuthorName; }
    return "系统";
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function stamp(iso) {
    var d = new Date(new Date(iso).getTime() + 8 * 3600 * 1000);
    return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate()) + " " + pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes());
  }

  var log = document.getElementById("chat-log");
  if (log) {
    var staff = log.getAttribute("data-staff") === "1";
    var last = parseInt(log.getAttribute("data-last") || "0", 10);
    var es = new EventSource(log.getAttribute("data-events") + "?after=" + last);
    es.onmessage = function (e) {
      var ev = JSON.parse(e.data);
      if (ev.kind !== "message" || ev.message.Seq <= last) { return; }
      last = ev.message.Seq;
      var m = ev.message;
      var li = document.createElement("li");
      li.className = "msg " + m.Author;
      li.setAttribute("data-seq", String(m.Seq));
      var w = document.createElement("span");
      w.className = "who";
      w.textContent = who(m, staff);
      var t = document.createElement("span");
      t.className = "when";
      t.textContent = " " + stamp(m.CreatedAt);
      var body = document.createElement("div");
      body.className = "text";
      body.textContent = m.Body;
      li.appendChild(w);
      li.appendChild(t);
      li.appendChild(body);
      log.appendChild(li);
      li.scrollIntoView({ block: "end" });
      if (staff && m.Author === "visitor") { beep(); }
      if (m.Author === "system" && /结束/.test(m.Body)) { window.setTimeout(function () { window.location.reload(); }, 800); }
    };
    var form = document.getElementById("chat-form");
    if (form) {
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        var text = form.querySelector("textarea");
        if (!text.value.trim()) { return; }
        fetch(form.action, {
          method: "POST", credentials: "same-origin",
          headers: { "X-Requested-With": "fetch", "Content-Type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams(new FormData(form)).toString()
        }).then(function (res) {
          if (res.ok) { text.value = ""; text.focus(); } else { res.text().then(function () { alert("发送失败，请稍后再试。"); }); }
        });
      });
    }
    Array.prototype.forEach.call(document.querySelectorAll(".canned-reply"), function (b) {
      b.addEventListener("click", function () {
        var text = document.getElementById("chat-body");
        text.value = b.getAttribute("data-text");
        text.focus();
      });
    });
  }

  var queue = document.getElementById("chat-queue");
  if (queue) {
    var qs = new EventSource(queue.getAttribute("data-events"));
    qs.onmessage = function (e) {
      var ev = JSON.parse(e.data);
      if (ev.state === "waiting") { beep(); }
      window.setTimeout(function () { window.location.reload(); }, 500);
    };
  }
})();
