// Photos shrunk on the tablet before upload (OFFLINE.md 7): at most `maxSide` px on the
// long side, re-encoded as JPEG; the server re-encodes again (kiosk/photos.py). Used by the
// patrol page (patrol.js) and the department's order page (work.js).
(function () {
  "use strict";
  window.shrinkPhoto = function (file, maxSide) {
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", 0.85); });
    });
  };
})();
