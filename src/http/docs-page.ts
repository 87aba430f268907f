// The page at /docs: plain HTML and a small script that fetches /openapi.json from the same server
// and lists every operation with its parameters, body schema and example. Nothing else is loaded.
export const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>sitevpn API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  body { font: 14px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 70rem; padding: 1rem 2rem; color: #1d232a; }
  h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #ccd; }
  details { border: 1px solid #dde; border-radius: 4px; margin: .4rem 0; }
  summary { cursor: pointer; padding: .4rem .6rem; font-family: ui-monospace, monospace; }
  .m { display: inline-block; min-width: 4.2rem; font-weight: 700; }
  .GET { color: #17652d; } .POST { color: #1a4f9c; } .PUT { color: #8a5a00; } .DELETE { color: #a3201a; }
  .s { font-family: system-ui, sans-serif; color: #555; margin-left: .6rem; }
  .body { padding: 0 .8rem .6rem; } pre { background: #f4f5f7; padding: .6rem; overflow: auto; max-height: 30rem; }
  input { width: 100%; padding: .4rem; font: inherit; box-sizing: border-box; }
</style>
</head>
<body>
<h1>sitevpn API</h1>
<p id="info">Loading /openapi.json&hellip;</p>
<input id="filter" placeholder="Filter by path, method or name">
<div id="ops"></div>
<script>
(function () {
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text != null) e.textContent = text; return e; }
  function block(title, value) { var d = el('div'); d.appendChild(el('h4', null, title)); d.appendChild(el('pre', null, JSON.stringify(value, null, 2))); return d; }
  fetch('openapi.json').then(function (r) { return r.json(); }).then(function (spec) {
    document.getElementById('info').textContent = spec.info.title + ' \\u2014 ' + spec.info.description;
    var groups = {}, ops = document.getElementById('ops');
    Object.keys(spec.paths).forEach(function (path) {
      Object.keys(spec.paths[path]).forEach(function (method) {
        var op = spec.paths[path][method], tag = (op.tags || ['other'])[0];
        if (!groups[tag]) { groups[tag] = el('section'); groups[tag].appendChild(el('h2', null, tag)); ops.appendChild(groups[tag]); }
        var d = el('details'), s = el('summary'), m = method.toUpperCase();
        d.dataset.text = (m + ' ' + path + ' ' + op.operationId + ' ' + op.summary).toLowerCase();
        s.appendChild(el('span', 'm ' + m, m)); s.appendChild(document.createTextNode(path));
        s.appendChild(el('span', 's', op.operationId + ' \\u2014 ' + op.summary));
        d.appendChild(s);
        var b = el('div', 'body');
        if (op.parameters && op.parameters.length) b.appendChild(block('Parameters', op.parameters.map(function (p) { return p.in + ' ' + p.name; })));
        var rb = op.requestBody && op.requestBody.content['application/json'];
        if (rb) { b.appendChild(block('Example body', rb.example)); b.appendChild(block('Body schema', rb.schema)); }
        b.appendChild(block('Responses', op.responses));
        d.appendChild(b);
        groups[tag].appendChild(d);
      });
    });
    document.getElementById('filter').addEventListener('input', function (e) {
      var q = e.target.value.toLowerCase();
      document.querySelectorAll('details').forEach(function (d) { d.style.display = d.dataset.text.indexOf(q) >= 0 ? '' : 'none'; });
    });
  }).catch(function (err) { document.getElementById('info').textContent = 'Could not load openapi.json: ' + err; });
})();
</script>
</body>
</html>
`;
