// Reads QR codes with zxing-cpp (WebAssembly) away from the page's main thread: a hard photo never freezes
// the form, and a read that takes too long is stopped by ending this worker.
// The page sends {load: {reader, wasm}} first: the addresses come from the page, so they always name the
// copies kept for offline use, never a CDN.
/* global ZXingWASM, importScripts */
"use strict";

var ready = null;
var QR_ONLY = { formats: ["QRCode"], tryHarder: true, tryInvert: true, tryRotate: true, maxNumberOfSymbols: 1 };
// Looked for only when there is no QR code, to say what the picture shows instead.
var OTHER_CODES = { formats: ["AllLinear", "DataMatrix", "Aztec", "PDF417", "MicroQRCode", "RMQRCode"],
  tryHarder: false, maxNumberOfSymbols: 1 };

function load(where) {
  importScripts(where.reader);
  return ZXingWASM.prepareZXingModule({
    overrides: {
      locateFile: function (path, prefix) { return /\.wasm$/.test(path) ? where.wasm : prefix + path; },
    },
    fireImmediately: true,
  });
}

function valid(results) {
  return results.filter(function (r) { return r.isValid; });
}

function read(image, quick) {
  var options = quick ? Object.assign({}, QR_ONLY, { tryHarder: false, tryRotate: false }) : QR_ONLY;
  return ZXingWASM.readBarcodes(image, options).then(function (results) {
    var found = valid(results);
    if (found.length) return { text: found[0].text, format: "qr_code" };
    if (quick) return { format: null };
    return ZXingWASM.readBarcodes(image, OTHER_CODES).then(function (others) {
      var other = valid(others);
      return other.length ? { text: other[0].text, format: other[0].format } : { format: null };
    });
  });
}

self.onmessage = function (message) {
  var data = message.data;
  if (data.load) {
    ready = ready || load(data.load);
    ready.then(function () { self.postMessage({ ready: true }); },
      function (error) { self.postMessage({ failed: String(error && error.message || error) }); });
    return;
  }
  ready.then(function () { return read(data.image, data.quick); }).then(function (result) {
    result.id = data.id;
    self.postMessage(result);
  }, function (error) {
    self.postMessage({ id: data.id, format: null, error: String(error && error.message || error) });
  });
};
