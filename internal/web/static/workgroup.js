// The work group channel page: shows messages as they arrive on the event stream, posts without
// reloading, keeps the read position and the other channels' unread counts current. Without
// this script the page still works as plain forms and links.
(function () {
  "use strict";
  var root = document.querySelector("[data-channel]");
  if (!root || !window.pinganLive) {
    return;
  }
  var channel = Number(root.getAttribute("data-channel"));
  var me = Number(root.getAttribute("data-account"));
  var list = root.querySelector("[data-messages]");
  var liveList = list && list.hasAttribute("data-live");
  var form = root.querySelector("[data-post]");
  var errorBox = root.querySelector("[data-post-error]");
  var readTimer = null;
  var lastRead = 0;

  function text(tag, className, value) {
    var el = document.createElement(tag);
    if (className) {
      el.className = className;
    }
    el.textContent = value;
    return el;
  }

  function render(m) {
    var li = document.createElement("li");
    li.className = "wg-message" + (m.account === me ? " mine" : "");
    li.id = "m" + m.seq;
    li.setAttribute("data-seq", String(m.seq));
    var meta = document.createElement("div");
    meta.className = "meta";
    meta.appendChild(text("strong", "", m.author));
    meta.appendChild(document.createTextNode("（" + m.org + "） " + m.at));
    li.appendChild(meta);
    li.appendChild(text("div", "text", m.body));
    (m.files || []).forEach(function (f) {
      var div = document.createElement("div");
      div.className = "file";
      var a = document.createElement("a");
      if (f.image) {
        a.href = "/admin/attachments/" + f.id;
        var img = document.createElement("img");
        img.src = a.href;
        img.alt = f.name;
        img.height = 120;
        a.appendChild(img);
        div.appendChild(a);
      } else {
        a.href = "/admin/attachments/" + f.id + "?download=1";
        a.textContent = f.name;
        div.appendChild(a);
        div.appendChild(document.createTextNode("（" + f.size + "）"));
      }
      li.appendChild(div);
    });
    if ((m.mentions || []).indexOf(me) >= 0) {
      li.classList.add("mentioned");
    }
    return li;
  }

  function markRead(seq) {
    if (seq <= lastRead) {
      return;
    }
    lastRead = seq;
    clearTimeout(readTimer);
    readTimer = setTimeout(function () {
      var body = new URLSearchParams();
      body.set("seq", String(lastRead));
      fetch("/admin/workgroup/" + channel + "/read", { method: "POST", body: body, credentials: "same-origin" });
    }, 500);
  }

  window.pinganLive.on("message", function (m) {
    if (m.channel !== channel || !liveList) {
      var badge = document.querySelector('[data-unread="' + m.channel + '"]');
      if (badge && m.account !== me) {
        badge.textContent = String(Number(badge.textContent || "0") + 1);
        badge.hidden = false;
      }
      return;
    }
    if (document.getElementById("m" + m.seq)) {
      return;
    }
    var empty = list.querySelector(".wg-empty");
    if (empty) {
      empty.remove();
    }
    // Messages arrive in order; insert before a later one all the same, should one be shown.
    var next = null;
    Array.prototype.some.call(list.children, function (el) {
      if (Number(el.getAttribute("data-seq")) > m.seq) {
        next = el;
        return true;
      }
      return false;
    });
    list.insertBefore(render(m), next);
    list.scrollTop = list.scrollHeight;
    if (!document.hidden) {
      markRead(m.seq);
    }
  });

  if (list) {
    list.scrollTop = list.scrollHeight;
  }

  if (form && window.fetch && window.FormData) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      errorBox.hidden = true;
      fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin",
        headers: { "Accept": "application/json" } })
        .then(function (res) {
          return res.json().then(function (data) { return { ok: res.ok, data: data }; });
        })
        .then(function (r) {
          if (!r.ok) {
            errorBox.textContent = r.data.error || "发送失败，请稍后再试。";
            errorBox.hidden = false;
            return;
          }
          form.reset();
        })
        .catch(function () {
          errorBox.textContent = "网络连接中断，消息未发送，请稍后再试。";
          errorBox.hidden = false;
        })
        .finally(function () { button.disabled = false; });
    });
  }
})();
