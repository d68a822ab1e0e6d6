// pingan article editor: wangEditor (@wangeditor-next/editor, vendored under /static/vendor)
// over the body textarea. Without JavaScript the textarea stays and takes HTML as it is.
//
// Pasting from Word or WPS brings images as file:/// addresses that no page may read. The
// clipboard's RTF part carries the same pictures as hex (\pict … \pngblip or \jpegblip), so
// the paste handler recovers them from there, uploads them and puts the uploaded addresses in
// place. Pictures it cannot recover are listed in a notice above the editor, and the server
// rejects a body that still contains a file:/// image.
(function () {
  "use strict";

  var textarea = document.getElementById("body");
  var shell = document.querySelector(".editor-shell");
  var notice = document.getElementById("editor-notice");
  if (!textarea || !shell || !window.wangEditor) {
    return;
  }
  var uploadURL = shell.getAttribute("data-upload");

  function showNotice(lines) {
    if (!lines.length) {
      notice.hidden = true;
      notice.textContent = "";
      return;
    }
    notice.hidden = false;
    notice.textContent = "";
    lines.forEach(function (line) {
      var p = document.createElement("p");
      p.textContent = line;
      notice.appendChild(p);
    });
  }

  // upload sends one image to the server and returns a promise of its address.
  function upload(blob, name) {
    var form = new FormData();
    form.append("file", blob, name);
    return fetch(uploadURL, { method: "POST", body: form, credentials: "same-origin" })
      .then(function (res) {
        return res.json().then(function (body) {
          if (!res.ok || !body.url) {
            throw new Error(body.error || "图片上传失败（" + res.status + "）");
          }
          return body.url;
        });
      });
  }

  // rtfImages returns the PNG and JPEG pictures of an RTF document, in order, as Blobs. Word
  // stores each picture twice, once as PNG or JPEG and once as a Windows metafile for old
  // readers. Only the first kind is taken, so the order matches the pasted HTML's images.
  function rtfImages(rtf) {
    var out = [];
    var at = 0;
    for (;;) {
      var start = rtf.indexOf("{\\pict", at);
      if (start < 0) {
        break;
      }
      var depth = 0;
      var end = start;
      for (; end < rtf.length; end++) {
        var c = rtf[end];
        if (c === "\\") {
          end++;
          continue;
        }
        if (c === "{") {
          depth++;
        } else if (c === "}") {
          depth--;
          if (depth === 0) {
            break;
          }
        }
      }
      var group = rtf.slice(start + 1, end);
      at = end + 1;
      var type = /\\pngblip/.test(group) ? "image/png" : /\\jpegblip/.test(group) ? "image/jpeg" : "";
      if (!type) {
        continue;
      }
      // Drop nested groups such as {\*\blipuid …}, keeping a space so that the control word before
      // a group does not run into the hex after it, then the control words: hex digits remain.
      var flat = group;
      var prev;
      do {
        prev = flat;
        flat = flat.replace(/\{[^{}]*\}/g, " ");
      } while (flat !== prev);
      var hex = flat.replace(/\\[a-zA-Z]+-?\d* ?/g, "").replace(/[^0-9a-fA-F]/g, "");
      if (hex.length < 16 || hex.length % 2 !== 0) {
        continue;
      }
      var bytes = new Uint8Array(hex.length / 2);
      for (var i = 0; i < bytes.length; i++) {
        bytes[i] = parseInt(hex.substr(i * 2, 2), 16);
      }
      out.push(new Blob([bytes], { type: type }));
    }
    return out;
  }

  // cleanWordHTML removes what Word and WPS paste besides the content: conditional comments with
  // their VML copies of the pictures, Office namespace tags, style and meta elements.
  function cleanWordHTML(html) {
    return html
      .replace(/<!--\[if[\s\S]*?<!\[endif\]-->/gi, "")
      .replace(/<!\[if[^\]]*\]>|<!\[endif\]>/gi, "")
      .replace(/<!--[\s\S]*?-->/g, "")
      .replace(/<style[\s\S]*?<\/style>/gi, "")
      .replace(/<\/?(o|v|w|m):[^>]*>/gi, "")
      .replace(/<(meta|link)[^>]*>/gi, "")
      .replace(/\s(class|lang)=("[^"]*"|'[^']*'|[^\s>]+)/gi, "")
      .replace(/mso-[^;"']*;?/gi, "");
  }

  function localImageName(src) {
    var parts = src.split(/[\\/]/);
    return decodeURIComponent(parts[parts.length - 1] || src);
  }

  // pasteWord handles a paste whose HTML has file:/// images. It returns false when it took over.
  function pasteWord(editor, html, rtf) {
    var doc = new DOMParser().parseFromString(cleanWordHTML(html), "text/html");
    var local = Array.prototype.filter.call(doc.querySelectorAll("img"), function (img) {
      return /^file:/i.test(img.getAttribute("src") || "");
    });
    var pictures = rtf ? rtfImages(rtf) : [];
    var matched = pictures.length === local.length;
    showNotice(["正在处理粘贴的内容，共 " + local.length + " 张图片……"]);
    var jobs = local.map(function (img, i) {
      if (!matched) {
        return Promise.resolve(null);
      }
      var ext = pictures[i].type === "image/png" ? ".png" : ".jpg";
      return upload(pictures[i], "粘贴图片" + (i + 1) + ext).then(function (url) {
        img.setAttribute("src", url);
        img.removeAttribute("v:shapes");
        return null;
      }, function (err) {
        return err.message;
      });
    });
    Promise.all(jobs).then(function (errors) {
      editor.dangerouslyInsertHtml(doc.body.innerHTML);
      textarea.value = editor.getHtml();
      var lines = [];
      local.forEach(function (img, i) {
        if (/^file:/i.test(img.getAttribute("src") || "")) {
          lines.push("第 " + (i + 1) + " 张图片（" + localImageName(img.getAttribute("src")) + "）未能自动上传" +
            (errors[i] ? "：" + errors[i] : "") + "。请删除它，再用工具栏的“上传图片”重新插入。");
        }
      });
      if (lines.length) {
        lines.unshift("以下图片仍在您的电脑上，网页无法显示，保存前需要上传：");
      }
      showNotice(lines);
      // The number of pictures still local, for the browser test to wait on.
      shell.setAttribute("data-paste-pending", String(Math.max(0, lines.length - 1)));
    });
    return false;
  }

  var config = {
    placeholder: "请输入正文，可从 Word、WPS 直接粘贴",
    onChange: function (editor) {
      textarea.value = editor.getHtml();
    },
    customPaste: function (editor, event) {
      var data = event.clipboardData;
      if (!data) {
        return true;
      }
      var html = data.getData("text/html");
      if (!html || !/<img[^>]+src=["']?file:/i.test(html)) {
        return true;
      }
      event.preventDefault();
      return pasteWord(editor, html, data.getData("text/rtf"));
    },
    MENU_CONF: {
      uploadImage: {
        customUpload: function (file, insert) {
          return upload(file, file.name).then(function (url) {
            insert(url, file.name.replace(/\.[^.]+$/, ""), "");
          }, function (err) {
            showNotice([err.message]);
          });
        }
      }
    }
  };

  var editor = window.wangEditor.createEditor({ selector: "#editor-area", html: textarea.value || "<p><br></p>", config: config, mode: "default" });
  window.wangEditor.createToolbar({
    editor: editor,
    selector: "#editor-toolbar",
    mode: "default",
    config: { excludeKeys: ["group-video", "insertVideo", "uploadVideo", "codeBlock", "emotion", "fullScreen"] }
  });
  shell.classList.add("ready");
  textarea.closest("form").classList.add("js-editor");
  textarea.closest("form").addEventListener("submit", function () {
    textarea.value = editor.getHtml();
  });
  window.pinganEditor = editor;
})();
