/* Offline stand-in for vega@5, vega-lite@5 and vega-embed@6 (not vendored: ~1 MB and
   none of the pipeline's expectations render a chart). Part of this project (Apache-2.0).
   A chart block, if one ever appears, shows a note instead of throwing. */
(function () {
  if (window.vegaEmbed) return;
  window.vegaEmbed = function (selector) {
    var el = document.querySelector(selector);
    if (el) el.textContent = "Chart not available offline (Vega is not bundled).";
    return Promise.resolve({ view: null, spec: null });
  };
})();
