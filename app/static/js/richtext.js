// The rich-text editor of every rich-text field (a textarea marked data-richtext: the generic
// form marks each Html field of a declaration; the catalog, promotions and static contents use
// it). A toolbar above a contenteditable area that writes clean HTML back to the textarea.
// Everything works under the self-only CSP: no inline script, no style attributes in markup
// (pasted text is inserted as plain text, loaded HTML is cleaned first); the server sanitizes
// again (nh3) whatever arrives.
(function () {
  "use strict";

  var INLINE_ATTRIBUTES = /\s(?:style|on[a-z]+)\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)/gi;
  var KEEP = ["P", "BR", "B", "STRONG", "I", "EM", "U", "S", "UL", "OL", "LI", "H1", "H2", "H3",
    "H4", "H5", "H6", "BLOCKQUOTE", "A", "SUB", "SUP", "HR", "TABLE", "THEAD", "TBODY", "TR",
    "TH", "TD"];
  var DROP = ["SCRIPT", "STYLE", "IFRAME", "OBJECT", "EMBED", "TEMPLATE", "NOSCRIPT", "SVG",
    "MATH", "IMG", "VIDEO", "AUDIO", "FORM", "INPUT", "BUTTON", "SELECT", "TEXTAREA", "LINK",
    "META"];
  var TOOLS = [
    {command: "bold", icon: "type-bold", label: "Tebal (Ctrl+B)", state: true},
    {command: "italic", icon: "type-italic", label: "Miring (Ctrl+I)", state: true},
    {command: "underline", icon: "type-underline", label: "Garis bawah (Ctrl+U)", state: true},
    null,
    {command: "formatBlock", value: "h3", icon: "type-h3", label: "Judul"},
    {command: "formatBlock", value: "p", icon: "paragraph", label: "Paragraf biasa"},
    {command: "insertUnorderedList", icon: "list-ul", label: "Daftar berpoin", state: true},
    {command: "insertOrderedList", icon: "list-ol", label: "Daftar bernomor", state: true},
    null,
    {command: "createLink", icon: "link-45deg", label: "Sisipkan tautan"},
    {command: "removeFormat", icon: "eraser", label: "Hapus format"},
    null,
    {command: "source", icon: "code-slash", label: "Lihat / ubah HTML"}
  ];

  // The field's error message sits after the control; once the control is wrapped, show it
  // explicitly (Bootstrap only shows it next to an .is-invalid sibling).
  function showFeedback(control, wrapper) {
    var next = wrapper.nextElementSibling;
    if (control.classList.contains("is-invalid") && next && next.classList.contains("invalid-feedback")) {
      next.classList.add("d-block");
    }
  }

  // ---- rich text ------------------------------------------------------------------------
  function safeHref(value) {
    value = (value || "").trim();
    return /^(https?:\/\/|mailto:)/i.test(value) ? value : "";
  }

  // Parse in an inert document (nothing is fetched or applied), keep formatting tags only,
  // drop every attribute except a safe link target.
  function cleanHtml(html) {
    // Even an inert document reports inline styles to the CSP: drop them from the text first.
    html = (html || "").replace(INLINE_ATTRIBUTES, "");
    var parsed = new DOMParser().parseFromString("<body>" + html + "</body>", "text/html");
    var body = parsed.body;
    (function walk(node) {
      Array.prototype.slice.call(node.childNodes).forEach(function (child) {
        if (child.nodeType === 8) { child.remove(); return; }
        if (child.nodeType !== 1) { return; }
        var tag = child.tagName.toUpperCase();
        if (DROP.indexOf(tag) !== -1) { child.remove(); return; }
        walk(child);
        if (KEEP.indexOf(tag) === -1) {
          var block = tag === "DIV";
          while (child.firstChild) { node.insertBefore(child.firstChild, child); }
          if (block) { node.insertBefore(parsed.createElement("br"), child); }
          child.remove();
          return;
        }
        var href = tag === "A" ? safeHref(child.getAttribute("href")) : "";
        Array.prototype.slice.call(child.attributes).forEach(function (attribute) {
          child.removeAttribute(attribute.name);
        });
        if (href) { child.setAttribute("href", href); }
      });
    })(body);
    return body.innerHTML;
  }

  function editorValue(area) {
    var text = (area.textContent || "").trim();
    return text ? area.innerHTML : "";
  }

  function button(tool) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = "btn btn-sm btn-outline-secondary";
    element.title = tool.label;
    element.setAttribute("aria-label", tool.label);
    if (tool.state || tool.command === "source") { element.setAttribute("aria-pressed", "false"); }
    var icon = document.createElement("i");
    icon.className = "bi bi-" + tool.icon;
    icon.setAttribute("aria-hidden", "true");
    element.appendChild(icon);
    return element;
  }

  function enhanceTextarea(textarea) {
    if (textarea.dataset.rte) { return; }
    textarea.dataset.rte = "1";
    var label = document.querySelector('label[for="' + textarea.id + '"]');
    var wrapper = document.createElement("div");
    wrapper.className = "rte";
    if (textarea.classList.contains("is-invalid")) { wrapper.classList.add("is-invalid"); }
    var toolbar = document.createElement("div");
    toolbar.className = "rte-toolbar";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", "Format " + (label ? label.textContent.trim() : "teks"));
    var area = document.createElement("div");
    area.className = "rte-area";
    area.id = textarea.id + "-editor";
    area.contentEditable = "true";
    area.setAttribute("role", "textbox");
    area.setAttribute("aria-multiline", "true");
    area.setAttribute("data-placeholder", "Tulis di sini…");
    if (label) {
      if (!label.id) { label.id = textarea.id + "-label"; }
      area.setAttribute("aria-labelledby", label.id);
      label.addEventListener("click", function () {
        if (!textarea.classList.contains("d-none")) { return; }
        area.focus();
      });
    }
    area.innerHTML = cleanHtml(textarea.value);
    textarea.parentNode.insertBefore(wrapper, textarea);
    wrapper.appendChild(toolbar);
    wrapper.appendChild(area);
    wrapper.appendChild(textarea);
    textarea.classList.add("d-none", "rte-source");
    showFeedback(textarea, wrapper);
    textarea.value = editorValue(area);

    var stateButtons = [];
    function sync() { textarea.value = editorValue(area); }
    function refreshState() {
      stateButtons.forEach(function (pair) {
        var on = false;
        try { on = document.queryCommandState(pair.tool.command); } catch (error) { on = false; }
        pair.element.setAttribute("aria-pressed", on ? "true" : "false");
        pair.element.classList.toggle("active", on);
      });
    }
    function toggleSource(element) {
      var showing = textarea.classList.contains("d-none");
      if (showing) {
        sync();
        textarea.classList.remove("d-none");
        area.classList.add("d-none");
        textarea.focus();
      } else {
        area.innerHTML = cleanHtml(textarea.value);
        sync();
        textarea.classList.add("d-none");
        area.classList.remove("d-none");
        area.focus();
      }
      element.setAttribute("aria-pressed", showing ? "true" : "false");
      element.classList.toggle("active", showing);
      toolbar.querySelectorAll("button").forEach(function (other) {
        if (other !== element) { other.disabled = showing; }
      });
    }

    TOOLS.forEach(function (tool) {
      if (tool === null) {
        var separator = document.createElement("span");
        separator.className = "rte-separator";
        separator.setAttribute("aria-hidden", "true");
        toolbar.appendChild(separator);
        return;
      }
      var element = button(tool);
      // Keep the selection in the text while the button is pressed.
      element.addEventListener("mousedown", function (event) { event.preventDefault(); });
      element.addEventListener("click", function () {
        if (tool.command === "source") { toggleSource(element); return; }
        area.focus();
        if (tool.command === "createLink") {
          var address = safeHref(window.prompt("Alamat tautan (https://… atau mailto:…)", "https://"));
          if (!address || address === "https://") { return; }
          document.execCommand("createLink", false, address);
        } else {
          document.execCommand(tool.command, false, tool.value || null);
        }
        sync();
        refreshState();
      });
      if (tool.state) { stateButtons.push({tool: tool, element: element}); }
      toolbar.appendChild(element);
    });

    area.addEventListener("input", sync);
    area.addEventListener("blur", sync);
    area.addEventListener("keyup", refreshState);
    area.addEventListener("mouseup", refreshState);
    area.addEventListener("focus", function () {
      try {
        document.execCommand("styleWithCSS", false, false);
        document.execCommand("defaultParagraphSeparator", false, "p");
      } catch (error) { /* older engines: defaults are fine */ }
    });
    // Pasted content comes in as plain text: no foreign markup or inline styles.
    area.addEventListener("paste", function (event) {
      event.preventDefault();
      var text = (event.clipboardData || window.clipboardData).getData("text/plain");
      document.execCommand("insertText", false, text);
      sync();
    });
    area.addEventListener("drop", function (event) { event.preventDefault(); });
  }

  function richText(root) {
    if (!root || !root.querySelectorAll) { return; }
    if (root.matches && root.matches("textarea[data-richtext]")) { enhanceTextarea(root); }
    root.querySelectorAll("textarea[data-richtext]").forEach(enhanceTextarea);
  }

  function syncAll() {
    document.querySelectorAll(".rte").forEach(function (wrapper) {
      var area = wrapper.querySelector(".rte-area");
      var textarea = wrapper.querySelector("textarea");
      if (area && textarea && textarea.classList.contains("d-none")) {
        textarea.value = editorValue(area);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { richText(document); });
  document.addEventListener("htmx:load", function (event) { richText(event.detail.elt); });
  // Before any form is sent (HTMX reads the values on submit), write the editors back.
  document.addEventListener("submit", syncAll, true);
  document.addEventListener("htmx:confirm", syncAll);
})();
