// pingan live events: one EventSource per tab carries the bell, the work group and live
// consultation. The page renders the cursor its stream starts from (data-live-cursor). Every
// event carries the whole cursor as its id, which the browser sends back when it reconnects,
// so nothing is lost or repeated. Page scripts subscribe with pinganLive.on(type, handler).
(function () {
  "use strict";
  var body = document.body;
  if (!body || !window.EventSource || !body.hasAttribute("data-live-cursor")) {
    return;
  }
  var handlers = {};
  var lastSeq = {};
  var lastId = body.getAttribute("data-live-cursor") || "";
  var source = null;
  var stopped = false;

  function dispatch(type, ev) {
    var msg;
    try {
      msg = JSON.parse(ev.data);
    } catch (e) {
      return;
    }
    if (ev.lastEventId) {
      lastId = ev.lastEventId;
    }
    // The server sends each stored event once. This check still guards against a replay that
    // overlaps a reconnect.
    if (msg.seq) {
      if (lastSeq[msg.topic] && msg.seq <= lastSeq[msg.topic]) {
        return;
      }
      lastSeq[msg.topic] = msg.seq;
    }
    (handlers[type] || []).forEach(function (fn) {
      fn(msg.data || {}, msg);
    });
  }

  function listen(type) {
    if (source && !source["_pingan_" + type]) {
      source["_pingan_" + type] = true;
      source.addEventListener(type, function (ev) { dispatch(type, ev); });
    }
  }

  function connect() {
    if (stopped) {
      return;
    }
    source = new EventSource("/events?cursor=" + encodeURIComponent(lastId));
    Object.keys(handlers).forEach(listen);
    source.onopen = function () { body.setAttribute("data-live-state", "open"); };
    source.onerror = function () {
      body.setAttribute("data-live-state", "reconnecting");
      // EventSource retries network errors itself but gives up after an HTTP error, so start
      // a new one from the last cursor.
      if (source.readyState === EventSource.CLOSED) {
        setTimeout(connect, 3000);
      }
    };
  }

  var api = {
    on: function (type, fn) {
      (handlers[type] = handlers[type] || []).push(fn);
      listen(type);
    },
    // seen records events a page rendered itself, so the stream does not show them again.
    seen: function (topic, seq) {
      if (!lastSeq[topic] || seq > lastSeq[topic]) {
        lastSeq[topic] = seq;
      }
    }
  };
  window.pinganLive = api;

  var count = document.querySelector("[data-bell-count]");
  var toasts = document.querySelector("[data-toasts]");
  api.on("bell", function (d) {
    if (count) {
      count.textContent = String(d.unread);
      count.hidden = !d.unread;
      var bell = count.parentNode;
      if (bell) {
        bell.setAttribute("aria-label", "我的提醒，未读 " + d.unread + " 条");
      }
    }
    if (toasts) {
      var a = document.createElement("a");
      a.href = "/admin/bell";
      a.className = "toast";
      a.textContent = (d.label ? d.label + "：" : "") + d.title;
      toasts.appendChild(a);
      setTimeout(function () { a.remove(); }, 8000);
    }
  });
  api.on("reset", function () { window.location.reload(); });
  api.on("signedout", function () {
    stopped = true;
    if (source) {
      source.close();
    }
    body.setAttribute("data-live-state", "closed");
  });
  // Connect after every deferred page script has registered its handlers.
  document.addEventListener("DOMContentLoaded", connect);
})();
