/* SellerDesk dashboard behaviour. No build step; progressive enhancement over server-rendered HTML.

   Declarative hooks any template can use:
     <button data-confirm="Confirm order 1042?" data-confirm-label="Confirm" data-confirm-danger>
         inside a <form>: opens the confirmation dialog; "Confirm" submits the form with that button.
         On an element with its own hx-post/hx-get: the request is issued after confirmation.
     <button data-dialog-open="some-dialog-id">  opens <dialog id="some-dialog-id"> (focus trapped,
         Esc closes, focus returns to the opener); <button data-dialog-close> inside closes it.
     .error-summary                         receives focus on load and after an HTMX swap.
     <table data-rows> with <tr data-row> rows and <a data-row-link> inside: j/k/x/Enter work on it.
     input[data-search]                     is what "/" focuses (else the first search input).
     Bulk selection: [data-bulk-form] holding input[data-row-check], input[data-select-all],
         [data-bulk-bar], [data-selected-count], button[data-select-matching], input[name=all_matching].
     nav.tabs a                             the views: 1-9 (or g then 1-9) open the nth one.
     [data-shortcut="e"]                    what a one-key shortcut focuses (e: export).
     button[data-copy="input-id"]           copies that input's value (data-copied: what it says then).
     [data-add-package]                     adds a package row to a carrier label form (formset rows).
     [data-keep-focus]                      an HTMX-redrawn region: the focus stays on the same control
                                            (or its replacement) after the redraw; see keepFocus below.
*/
(function () {
  "use strict";

  var FOCUSABLE =
    'a[href], area[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), ' +
    'select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"]), summary';

  function $(sel, root) { return (root || document).querySelector(sel); }
  function $$(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }

  function announce(text) {
    var region = document.getElementById("live-region");
    if (!region) return;
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  /* --- dialogs: open with focus trap, Esc closes, focus returns ------------------------------ */

  function focusables(dialog) {
    return $$(FOCUSABLE, dialog).filter(function (el) {
      return el.offsetWidth > 0 || el.offsetHeight > 0 || el === document.activeElement;
    });
  }

  function openDialog(dialog, opener) {
    if (!dialog || dialog.open) return;
    dialog._opener = opener || document.activeElement;
    if (typeof dialog.showModal === "function") {
      dialog.showModal();
    } else {
      dialog.setAttribute("open", "");
    }
    var first = $("[autofocus]", dialog) || focusables(dialog)[0];
    if (first) first.focus();
  }

  function closeDialog(dialog, value) {
    if (!dialog || !dialog.open) return;
    dialog.close(value || "");
  }

  // Focus trap: Tab and Shift+Tab cycle within the open modal dialog.
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Tab") return;
    var dialog = $("dialog[open]");
    if (!dialog) return;
    var items = focusables(dialog);
    if (!items.length) { e.preventDefault(); return; }
    var first = items[0];
    var last = items[items.length - 1];
    var active = document.activeElement;
    if (!dialog.contains(active)) { e.preventDefault(); first.focus(); return; }
    if (e.shiftKey && active === first) { e.preventDefault(); last.focus(); }
    else if (!e.shiftKey && active === last) { e.preventDefault(); first.focus(); }
  });

  // Every dialog returns focus to its opener when it closes (Esc, a button, or the form).
  document.addEventListener("close", function (e) {
    var dialog = e.target;
    if (!(dialog instanceof HTMLElement) || dialog.tagName !== "DIALOG") return;
    var opener = dialog._opener;
    dialog._opener = null;
    if (opener && document.contains(opener) && typeof opener.focus === "function") {
      opener.focus();
    }
  }, true);

  document.addEventListener("click", function (e) {
    var openBtn = e.target.closest("[data-dialog-open]");
    if (openBtn) {
      e.preventDefault();
      openDialog(document.getElementById(openBtn.getAttribute("data-dialog-open")), openBtn);
      return;
    }
    var closeBtn = e.target.closest("[data-dialog-close]");
    if (closeBtn) {
      e.preventDefault();
      closeDialog(closeBtn.closest("dialog"));
    }
    var dismiss = e.target.closest("[data-dismiss]");
    if (dismiss) {
      var box = dismiss.closest(".message");
      if (box) box.remove();
      var main = document.getElementById("main");
      if (main) main.focus();
    }
  });

  // A click on the backdrop (outside the dialog box) closes it, like Esc.
  document.addEventListener("click", function (e) {
    var t = e.target;
    if (t && t.tagName === "DIALOG" && t.open) {
      var r = t.getBoundingClientRect();
      var inside = e.clientX >= r.left && e.clientX <= r.right && e.clientY >= r.top && e.clientY <= r.bottom;
      if (!inside && e.clientX !== 0 && e.clientY !== 0) closeDialog(t);
    }
  });

  /* --- confirmation dialog -------------------------------------------------------------------- */

  var pending = null; // { resolve } of the confirmation shown now

  function askConfirm(message, opener, options) {
    var dialog = document.getElementById("confirm-dialog");
    options = options || {};
    if (!dialog) return Promise.resolve(window.confirm(message));
    $("#confirm-dialog-text", dialog).textContent = message;
    var title = $("#confirm-dialog-title", dialog);
    if (!title._default) title._default = title.textContent;
    title.textContent = options.title || title._default;
    var ok = $("[data-confirm-ok]", dialog);
    if (!ok._default) ok._default = ok.textContent;
    ok.textContent = options.label || ok._default;
    ok.className = options.danger ? "btn btn-danger" : "btn btn-primary";
    return new Promise(function (resolve) {
      pending = { resolve: resolve };
      dialog.returnValue = "";
      openDialog(dialog, opener);
      // The safe choice has the focus: Enter on the opener, then Enter again, must not do the deed.
      var cancelBtn = $("[data-confirm-cancel]", dialog);
      if (cancelBtn) cancelBtn.focus();
    });
  }

  document.addEventListener("close", function (e) {
    if (!e.target || e.target.id !== "confirm-dialog" || !pending) return;
    var p = pending;
    pending = null;
    p.resolve(e.target.returnValue === "ok");
  }, true);

  function confirmOptions(el) {
    return {
      label: el.getAttribute("data-confirm-label"),
      title: el.getAttribute("data-confirm-title"),
      danger: el.hasAttribute("data-confirm-danger"),
    };
  }

  function hasOwnHx(el) {
    return ["hx-get", "hx-post", "hx-put", "hx-patch", "hx-delete"].some(function (a) { return el.hasAttribute(a); });
  }

  document.addEventListener("click", function (e) {
    var el = e.target.closest("[data-confirm]");
    if (!el || el.tagName === "FORM" || hasOwnHx(el)) return;
    if (el._confirmed) { el._confirmed = false; return; }
    e.preventDefault();
    e.stopPropagation();
    askConfirm(el.getAttribute("data-confirm"), el, confirmOptions(el)).then(function (ok) {
      if (!ok) return;
      if (el.tagName === "A") { window.location.href = el.href; return; }
      var form = el.form || el.closest("form");
      if (form) {
        if (typeof form.requestSubmit === "function") form.requestSubmit(el);
        else { el._confirmed = true; el.click(); }
      }
    });
  }, true);

  // Elements that make their own HTMX request ask through htmx's confirm hook.
  document.addEventListener("htmx:confirm", function (e) {
    var el = e.detail && e.detail.elt;
    if (!el || !el.hasAttribute || !el.hasAttribute("data-confirm")) return;
    e.preventDefault();
    askConfirm(el.getAttribute("data-confirm"), el, confirmOptions(el)).then(function (ok) {
      if (ok) e.detail.issueRequest(true);
    });
  });

  /* --- forms: the error summary takes focus --------------------------------------------------- */

  function focusErrorSummary(root) {
    var summary = $(".error-summary", root);
    if (summary) {
      if (!summary.hasAttribute("tabindex")) summary.setAttribute("tabindex", "-1");
      summary.focus();
    }
  }

  /* --- table rows: j / k / x / Enter ---------------------------------------------------------- */

  var currentRow = -1;

  function rows() { return $$("table[data-rows] tr[data-row]"); }

  function setCurrent(index) {
    var all = rows();
    if (!all.length) return;
    index = Math.max(0, Math.min(index, all.length - 1));
    all.forEach(function (r) { r.classList.remove("is-current"); });
    var row = all[index];
    currentRow = index;
    row.classList.add("is-current");
    if (!row.hasAttribute("tabindex")) row.setAttribute("tabindex", "-1");
    row.focus({ preventScroll: false });
    row.scrollIntoView({ block: "nearest" });
  }

  function current() {
    var all = rows();
    var focused = document.activeElement && document.activeElement.closest && document.activeElement.closest("tr[data-row]");
    if (focused) return focused;
    return all[currentRow] || null;
  }

  function isTyping(el) {
    if (!el) return false;
    var tag = el.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable) return true;
    if (tag === "INPUT") {
      var type = (el.getAttribute("type") || "text").toLowerCase();
      return ["checkbox", "radio", "button", "submit", "reset"].indexOf(type) === -1;
    }
    return false;
  }

  var gPressed = 0;

  document.addEventListener("keydown", function (e) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === "Escape" && e.target.matches && e.target.matches("input[data-search], input[type=search]")
        && !$("dialog[open]")) {
      e.preventDefault(); // keep what was typed (a search field would clear itself)
      e.target.blur(); // back to the shortcuts: j/k move through the results
      return;
    }
    if (isTyping(e.target)) return;
    if ($("dialog[open]")) return; // the dialog owns the keyboard
    var key = e.key;
    if (gPressed && Date.now() - gPressed < 1200) {
      gPressed = 0;
      if (key === "o") { e.preventDefault(); window.location.href = "/orders/"; return; }
      if (key === "d") { e.preventDefault(); window.location.href = "/"; return; }
    }
    if (key === "g") { gPressed = Date.now(); return; }
    if (/^[1-9]$/.test(key)) {
      var tab = $$("nav.tabs a")[parseInt(key, 10) - 1];
      if (tab) { e.preventDefault(); window.location.href = tab.href; }
      return;
    }
    if (key === "b") {
      var bar = $("[data-bulk-bar]");
      if (!bar) return;
      e.preventDefault();
      if (bar.hidden) {
        announce(bar.getAttribute("data-empty-hint") || "Select rows first (x).");
        return;
      }
      var control = focusables(bar)[0];
      if (control) control.focus();
      return;
    }
    if (key === "e") {
      var target = $('[data-shortcut="e"]');
      if (target) { e.preventDefault(); target.focus(); }
      return;
    }
    if (key === "/") {
      var box = $("input[data-search]") || $('input[type="search"]');
      if (box) { e.preventDefault(); box.focus(); box.select(); }
      return;
    }
    if (key === "?") {
      e.preventDefault();
      openDialog(document.getElementById("shortcuts-dialog"), document.activeElement);
      return;
    }
    if (key === "j" || key === "k") {
      if (!rows().length) return;
      e.preventDefault();
      var row = current();
      var idx = row ? rows().indexOf(row) : -1;
      setCurrent(key === "j" ? idx + 1 : Math.max(idx - 1, 0));
      return;
    }
    if (key === "x") {
      var r = current();
      var box2 = r && $("input[data-row-check]", r);
      if (box2) {
        e.preventDefault();
        box2.checked = !box2.checked;
        box2.dispatchEvent(new Event("change", { bubbles: true }));
      }
      return;
    }
    if (key === "Enter") {
      var r2 = e.target.closest && e.target.closest("tr[data-row]");
      if (r2 && e.target === r2) {
        var link = $("a[data-row-link]", r2) || $("a[href]", r2);
        if (link) { e.preventDefault(); window.location.href = link.href; }
      }
    }
  });

  /* --- export: say what is happening and when the file is there ----------------------------- */
  // The server echoes `download_token` in a short-lived cookie with the response's headers: at
  // once for a streamed CSV, once the file is built for an XLSX.

  document.addEventListener("click", function (e) {
    var link = e.target.closest && e.target.closest("a[data-export-link]");
    if (!link) return;
    var token = Math.random().toString(36).slice(2, 12) + Date.now().toString(36);
    var url = new URL(link.href, window.location.href);
    url.searchParams.set("download_token", token);
    link.href = url.toString();
    var status = document.getElementById("export-status");
    if (!status) return;
    status.hidden = false;
    status.textContent = link.getAttribute("data-pending");
    var started = Date.now();
    var timer = window.setInterval(function () {
      if (document.cookie.split("; ").indexOf("sd_export=" + token) !== -1) {
        window.clearInterval(timer);
        status.textContent = link.getAttribute("data-ready");
        document.cookie = "sd_export=; Max-Age=0; path=/; SameSite=Lax";
      } else if (Date.now() - started > 20 * 60 * 1000) {
        window.clearInterval(timer);
      }
    }, 500);
  });

  /* --- bulk selection ------------------------------------------------------------------------- */

  function bulkState(form) {
    var checks = $$("input[data-row-check]", form);
    var checked = checks.filter(function (c) { return c.checked; });
    var allMatching = $('input[name="all_matching"]', form);
    var matching = allMatching && allMatching.value === "1";
    var total = parseInt(form.getAttribute("data-total") || "0", 10);
    return { checks: checks, checked: checked, matching: matching, total: total, allMatching: allMatching };
  }

  function refreshBulk(form) {
    if (!form) return;
    var s = bulkState(form);
    var headerBox = $("input[data-select-all]", form);
    if (headerBox) {
      headerBox.checked = s.checks.length > 0 && s.checked.length === s.checks.length;
      headerBox.indeterminate = s.checked.length > 0 && s.checked.length < s.checks.length;
    }
    if (!s.checked.length && s.allMatching) { s.allMatching.value = ""; s.matching = false; }
    var count = s.matching ? s.total : s.checked.length;
    var bar = $("[data-bulk-bar]", form);
    if (bar) bar.hidden = count === 0;
    $$("[data-selected-count]", form).forEach(function (el) { el.textContent = count.toLocaleString(document.documentElement.lang || undefined); });
    var offer = $("[data-select-matching]", form);
    if (offer) {
      var fullPage = s.checks.length > 0 && s.checked.length === s.checks.length;
      offer.hidden = !(fullPage && !s.matching && s.total > s.checks.length);
    }
    var clear = $("[data-select-clear]", form);
    if (clear) clear.hidden = !s.matching;
    // Every bulk button's confirmation names the count.
    $$("button[data-bulk-action]", form).forEach(function (btn) {
      var tpl = btn.getAttribute("data-confirm-template");
      if (tpl) btn.setAttribute("data-confirm", tpl.replace("{count}", count.toLocaleString(document.documentElement.lang || undefined)));
    });
    $$("tr[data-row]", form).forEach(function (tr) {
      var c = $("input[data-row-check]", tr);
      tr.classList.toggle("is-selected", !!(c && c.checked));
    });
  }

  document.addEventListener("change", function (e) {
    var form = e.target.closest && e.target.closest("[data-bulk-form]");
    if (!form) return;
    if (e.target.matches("input[data-select-all]")) {
      $$("input[data-row-check]", form).forEach(function (c) { c.checked = e.target.checked; });
      var am = $('input[name="all_matching"]', form);
      if (am && !e.target.checked) am.value = "";
    } else if (e.target.matches("input[data-row-check]") && !e.target.checked) {
      var am2 = $('input[name="all_matching"]', form);
      if (am2) am2.value = "";
    }
    refreshBulk(form);
    if (e.target.matches("input[data-select-all], input[data-row-check]")) {
      var s = bulkState(form);
      announce((s.matching ? s.total : s.checked.length) + " " + (form.getAttribute("data-selected-label") || "selected"));
    }
  });

  document.addEventListener("click", function (e) {
    var btn = e.target.closest("[data-select-matching], [data-select-clear]");
    if (!btn) return;
    var form = btn.closest("[data-bulk-form]");
    if (!form) return;
    e.preventDefault();
    var am = $('input[name="all_matching"]', form);
    if (btn.hasAttribute("data-select-matching")) {
      if (am) am.value = "1";
      $$("input[data-row-check]", form).forEach(function (c) { c.checked = true; });
    } else {
      if (am) am.value = "";
      $$("input[data-row-check]", form).forEach(function (c) { c.checked = false; });
    }
    refreshBulk(form);
    var s = bulkState(form);
    announce((s.matching ? s.total : s.checked.length) + " " + (form.getAttribute("data-selected-label") || "selected"));
    var focusTo = $("[data-select-clear]:not([hidden])", form) || $("[data-select-matching]:not([hidden])", form) || $("input[data-select-all]", form);
    if (focusTo) focusTo.focus();
  });

  /* --- focus across HTMX redraws -------------------------------------------------------------- */
  // A redraw replaces the control that had the focus; the browser would drop it to <body>. Before the
  // swap we note how to find that control again (its id, its data-action, its name in a form with the
  // same action, its text), and the region it sat in; after the swap we focus the same control, else
  // the first control of its region (the replacement: "Start processing" after "Confirm"), else the
  // region's heading. An error summary in the new content wins: it takes the focus (focusErrorSummary).

  function describeFocus(el) {
    if (!el || el === document.body) return null;
    var group = el.closest("[role=group][aria-label]");
    var section = el.closest("section[aria-labelledby]");
    var form = el.closest("form");
    return {
      id: el.id || "",
      action: el.getAttribute("data-action") || "",
      name: el.getAttribute("name") || "",
      formAction: form ? form.getAttribute("action") || "" : "",
      text: (el.textContent || "").trim(),
      tag: el.tagName,
      group: group ? group.getAttribute("aria-label") : "",
      section: section ? section.getAttribute("aria-labelledby") : "",
    };
  }

  function findRegion(d, root) {
    if (d.group) {
      var same = $$("[role=group][aria-label]", root).filter(function (g) { return g.getAttribute("aria-label") === d.group; });
      if (same.length) return same[0];
    }
    return d.section ? $('section[aria-labelledby="' + d.section + '"]', root) : null;
  }

  function refocus(d, root) {
    if (!d) return false;
    var candidates = [];
    if (d.id) candidates.push(document.getElementById(d.id));
    if (d.action) candidates.push($('[data-action="' + d.action + '"]', root));
    if (d.formAction) {
      $$("form", root).forEach(function (f) {
        if (f.getAttribute("action") !== d.formAction) return;
        $$(d.tag, f).forEach(function (el) {
          if ((d.name && el.getAttribute("name") === d.name) || (el.textContent || "").trim() === d.text) candidates.push(el);
        });
      });
    }
    var region = findRegion(d, root);
    if (region) {
      candidates.push(focusables(region)[0]);
      var heading = region.matches("section") ? $("h2, h3", region) : null;
      if (heading) { heading.setAttribute("tabindex", "-1"); candidates.push(heading); }
    }
    for (var i = 0; i < candidates.length; i++) {
      var c = candidates[i];
      if (c && c.isConnected && (c.offsetWidth > 0 || c.offsetHeight > 0)) { c.focus(); return true; }
    }
    return false;
  }

  var keep = null;
  document.addEventListener("htmx:beforeSwap", function (e) {
    var target = e.detail && e.detail.target;
    keep = null;
    if (!target || !target.closest || !target.closest("[data-keep-focus]") && !target.hasAttribute("data-keep-focus")) return;
    var active = document.activeElement;
    if (active && target.contains(active)) keep = describeFocus(active);
  });
  document.addEventListener("htmx:afterSettle", function () {
    var d = keep;
    keep = null;
    if (!d || $(".error-summary")) return;
    var active = document.activeElement;
    if (active && active !== document.body && active.isConnected) return;
    var root = $("[data-keep-focus]") || document;
    if (!refocus(d, root)) {
      var h1 = $("h1", root);
      if (h1) { h1.setAttribute("tabindex", "-1"); h1.focus(); }
    }
  });

  /* --- copy a value: <button data-copy="input-id" data-copied="Copied"> ------------------------ */

  document.addEventListener("click", function (e) {
    var btn = e.target.closest && e.target.closest("[data-copy]");
    if (!btn) return;
    var field = document.getElementById(btn.getAttribute("data-copy"));
    if (!field) return;
    e.preventDefault();
    var text = field.value || field.textContent || "";
    var done = function () {
      var label = btn.getAttribute("data-copied") || "Copied";
      if (!btn._label) btn._label = btn.textContent;
      btn.textContent = label;
      announce(label);
      window.setTimeout(function () { btn.textContent = btn._label; }, 2000);
    };
    var fallback = function () {
      // Older browsers, or a clipboard the page may not write: select the text and copy it that way.
      field.focus();
      if (typeof field.select === "function") field.select();
      try { if (document.execCommand("copy")) done(); } catch (err) { /* the text stays selected */ }
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, fallback);
    } else {
      fallback();
    }
  });

  /* --- packages of a carrier label: [data-add-package] clones the last [data-package-row] ------ */
  // Django formset rows named pkg-N-field; the copy gets the next N and TOTAL_FORMS grows. Without
  // JavaScript the button posts the form and the server answers with one more row.

  document.addEventListener("click", function (e) {
    var btn = e.target.closest && e.target.closest("[data-add-package]");
    if (!btn) return;
    var form = btn.form || btn.closest("form");
    var box = form && $("[data-packages]", form);
    var rows = box ? $$("[data-package-row]", box) : [];
    var total = form && $('input[name$="-TOTAL_FORMS"]', form);
    if (!rows.length || !total) return;
    e.preventDefault();
    e.stopPropagation();
    var max = parseInt((($('input[name$="-MAX_NUM_FORMS"]', form) || {}).value) || "20", 10);
    var n = parseInt(total.value, 10);
    if (n >= max) return;
    var last = rows[rows.length - 1];
    var copy = last.cloneNode(true);
    var from = new RegExp("-" + (n - 1) + "-");
    $$("[name], [id], [for], [aria-describedby]", copy).forEach(function (el) {
      ["name", "id", "for", "aria-describedby"].forEach(function (a) {
        var v = el.getAttribute(a);
        if (v) el.setAttribute(a, v.replace(from, "-" + n + "-"));
      });
    });
    $$(".error-text", copy).forEach(function (el) { el.remove(); });
    $$(".field-error", copy).forEach(function (el) { el.classList.remove("field-error"); });
    var no = $(".package-no", copy);
    if (no) no.textContent = String(n + 1);
    box.appendChild(copy);
    total.value = String(n + 1);
    var first = $("input", copy);
    if (first) first.focus();
    // The new package changes the parcel: ask for rates again.
    if (window.htmx) window.htmx.trigger(box, "change");
  }, true);

  /* --- init, and again after every HTMX swap -------------------------------------------------- */

  function init(root) {
    root = root || document;
    focusErrorSummary(root);
    $$("[data-bulk-form]", root).forEach(refreshBulk);
    if (root.matches && root.matches("[data-bulk-form]")) refreshBulk(root);
    var inside = root.closest ? root.closest("[data-bulk-form]") : null;
    if (inside) refreshBulk(inside);
    currentRow = -1;
  }

  document.addEventListener("DOMContentLoaded", function () {
    init(document);
    document.documentElement.setAttribute("data-js-ready", "");  // shortcuts are listening now
  });
  document.addEventListener("htmx:afterSwap", function (e) {
    // After an outerHTML swap the target is the element that was replaced (detached): use the document.
    var target = e.detail && e.detail.target;
    init(target && target.isConnected ? target : document);
  });
  document.addEventListener("htmx:afterSettle", function (e) {
    var t = e.detail && e.detail.target;
    var status = t && $("[data-announce]", t);
    if (status) announce(status.textContent.trim());
  });
  // Server errors on HTMX requests: show them instead of failing silently.
  document.addEventListener("htmx:responseError", function (e) {
    var xhr = e.detail && e.detail.xhr;
    var box = document.getElementById("messages");
    if (!box) return;
    var div = document.createElement("div");
    div.className = "message message-error";
    div.setAttribute("role", "alert");
    var span = document.createElement("span");
    span.textContent = (xhr && xhr.status === 403) ? (document.body.getAttribute("data-msg-forbidden") || "You may not do this.")
      : (document.body.getAttribute("data-msg-error") || "Something went wrong; please try again.");
    div.appendChild(span);
    box.appendChild(div);
  });

  window.SellerDesk = { openDialog: openDialog, closeDialog: closeDialog, confirm: askConfirm, announce: announce, init: init };
})();
