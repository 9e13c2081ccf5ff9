// An example advertising tag: it records that it ran and the GPP string it was loaded with
// (the `gpp` and `gpp_sid` URL macros the loader fills in).
(function () {
  var src = document.currentScript ? document.currentScript.src : '';
  var q = new URL(src, document.baseURI).searchParams;
  (window.exampleTags = window.exampleTags || []).push({ tag: 'advertising', gpp: q.get('gpp'), gpp_sid: q.get('gpp_sid') });
})();
