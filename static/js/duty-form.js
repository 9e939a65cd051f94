/* The phone duty form: shrink photos before upload, keep a draft, stop double taps. */
(function () {
  "use strict";
  var form = document.getElementById("duty-form");
  if (!form) { return; }
  var MAX_EDGE = 1600;
  var maxPhotos = parseInt(form.dataset.maxPhotos || "3", 10);
  var input = document.getElementById("id_photos");
  var strip = document.getElementById("photo-strip");
  var addTile = document.getElementById("photo-add");
  var kept = form.querySelector("input[name=kept_photos]");
  var submit = document.getElementById("duty-submit");
  var draftKey = form.dataset.draftKey;
  var fresh = [];  // File objects chosen in this page view, already shrunk

  function message(name, text) {
    var box = form.querySelector('.invalid-feedback[data-for="' + name + '"]');
    if (!box) { return; }
    box.textContent = text || "";
    box.classList.toggle("d-block", !!text);
  }

  function keptIds() {
    return (kept.value || "").split(",").filter(function (v) { return v.trim() !== ""; });
  }

  function refreshAddTile() {
    var used = keptIds().length + fresh.length;
    addTile.classList.toggle("d-none", used >= maxPhotos);
  }

  function syncInput() {
    if (typeof DataTransfer === "undefined") { return; }
    var dt = new DataTransfer();
    fresh.forEach(function (f) { dt.items.add(f); });
    input.files = dt.files;
  }

  function shrink(file) {
    return new Promise(function (resolve) {
      if (!/^image\//.test(file.type) || !window.createImageBitmap || !HTMLCanvasElement.prototype.toBlob) {
        resolve(file); return;
      }
      createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
        var scale = Math.min(1, MAX_EDGE / Math.max(bitmap.width, bitmap.height));
        if (scale === 1 && file.size < 1500000) { resolve(file); return; }
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(bitmap.width * scale);
        canvas.height = Math.round(bitmap.height * scale);
        canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
        canvas.toBlob(function (blob) {
          if (!blob) { resolve(file); return; }
          var name = file.name.replace(/\.[^.]+$/, "") + ".jpg";
          resolve(new File([blob], name, { type: "image/jpeg" }));
        }, "image/jpeg", 0.85);
      }).catch(function () { resolve(file); });  // the server decides and explains
    });
  }

  function addPreview(file) {
    var tile = document.createElement("div");
    tile.className = "photo-thumb";
    var img = document.createElement("img");
    img.alt = file.name;
    img.src = URL.createObjectURL(file);
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "photo-remove";
    remove.setAttribute("aria-label", "×");
    remove.innerHTML = '<i class="bi bi-x-lg"></i>';
    remove.addEventListener("click", function () {
      fresh = fresh.filter(function (f) { return f !== file; });
      tile.remove(); syncInput(); refreshAddTile();
    });
    tile.appendChild(img); tile.appendChild(remove);
    strip.insertBefore(tile, addTile);
  }

  if (input) {
    input.addEventListener("change", function () {
      var chosen = Array.prototype.slice.call(input.files || []);
      message("photos", "");
      var room = maxPhotos - keptIds().length - fresh.length;
      if (chosen.length > room) {
        message("photos", form.dataset.msgTooMany);
        chosen = chosen.slice(0, Math.max(0, room));
      }
      var notImages = chosen.filter(function (f) { return f.type && !/^image\//.test(f.type); });
      if (notImages.length) { message("photos", form.dataset.msgNotImage + " " + notImages[0].name); }
      chosen = chosen.filter(function (f) { return !f.type || /^image\//.test(f.type); });
      Promise.all(chosen.map(shrink)).then(function (files) {
        files.forEach(function (f) { fresh.push(f); addPreview(f); });
        syncInput(); refreshAddTile();
      });
    });
  }

  // Photos kept from an earlier attempt can be removed too.
  strip.querySelectorAll(".photo-thumb[data-photo-id] .photo-remove").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var tile = btn.closest(".photo-thumb");
      var id = tile.dataset.photoId;
      kept.value = keptIds().filter(function (v) { return v !== id; }).join(",");
      tile.remove(); refreshAddTile();
    });
  });
  refreshAddTile();

  // Hint for the chosen duty type.
  var hint = document.getElementById("duty-hint");
  var hintsNode = document.getElementById("duty-hints");
  var hints = hintsNode ? JSON.parse(hintsNode.textContent) : {};
  function showHint() {
    var checked = form.querySelector("input[name=duty_type]:checked");
    if (hint && checked) { hint.textContent = hints[checked.value] || ""; }
  }
  form.querySelectorAll("input[name=duty_type]").forEach(function (r) { r.addEventListener("change", showHint); });
  showHint();

  // A draft in this phone's storage survives a lost connection or a closed tab.
  var fields = ["date", "place", "description"];
  function saveDraft() {
    try {
      var data = {};
      fields.forEach(function (n) { data[n] = form.elements[n].value; });
      var t = form.querySelector("input[name=duty_type]:checked");
      data.duty_type = t ? t.value : "";
      localStorage.setItem(draftKey, JSON.stringify(data));
    } catch (e) { /* storage full or disabled: nothing to do */ }
  }
  if (form.dataset.restoreDraft === "1") {
    try {
      var draft = JSON.parse(localStorage.getItem(draftKey) || "null");
      if (draft && (draft.description || draft.place)) {
        fields.forEach(function (n) { if (draft[n]) { form.elements[n].value = draft[n]; } });
        var radio = draft.duty_type && form.querySelector('input[name=duty_type][value="' + draft.duty_type + '"]');
        if (radio) { radio.checked = true; showHint(); }
        var note = document.createElement("div");
        note.className = "alert alert-info py-2 small";
        note.textContent = form.dataset.msgDraft;
        form.insertBefore(note, form.firstChild);
      }
    } catch (e) { /* a damaged draft is ignored */ }
  }
  form.addEventListener("input", saveDraft);
  form.addEventListener("change", saveDraft);

  // Check the date here too, and send once however often the button is tapped.
  var sending = false;
  form.addEventListener("submit", function (event) {
    message("date", "");
    var date = form.elements.date.value;
    var max = form.elements.date.getAttribute("max");
    if (date && max && date > max) {
      event.preventDefault();
      message("date", form.dataset.msgFuture);
      form.elements.date.focus();
      return;
    }
    if (sending) { event.preventDefault(); return; }
    sending = true;
    submit.disabled = true;
    submit.innerHTML = '<span class="spinner-border spinner-border-sm"></span> ' + form.dataset.msgSending;
  });
  // Coming back with the browser's back button re-enables the form.
  window.addEventListener("pageshow", function () { sending = false; submit.disabled = false; });
})();
