// The list of every KPI (kpis/): show only the KPIs of one health or category, and put them in another
// order. The choice is kept in the address (kpis/?health=critical&order=name), so that it can be shared
// and survives going back. Without JavaScript the page is the whole table in the order of the files.
(function () {
  var form = document.querySelector('form.kpi-filter');
  var body = document.querySelector('table.kpi-list tbody');
  var count = document.getElementById('kpi-count');
  if (!form || !body) return;
  var rows = Array.prototype.slice.call(body.rows);
  rows.forEach(function (row, i) { row.dataset.file = i; });
  var URGENCY = ['critical', 'warning', 'unknown', 'healthy', 'confidential'];
  function text(row, cell) { return (row.cells[cell] ? row.cells[cell].textContent : '').trim(); }
  function byText(cell) {
    return function (a, b) { return text(a, cell).localeCompare(text(b, cell), undefined, { sensitivity: 'base', numeric: true }); };
  }
  // A retired KPI, no longer measured, after every live one.
  function rank(row) { var n = URGENCY.indexOf(row.dataset.health); return (n < 0 ? URGENCY.length : n) + (row.dataset.retired ? URGENCY.length + 1 : 0); }
  var ORDERS = {
    need: function (a, b) { return rank(a) - rank(b); },
    name: byText(0),
    owner: byText(3),
    category: function (a, b) { return categoryRank(a) - categoryRank(b); }
  };
  var WORDS = { '': 'in the order of their files', need: 'most in need first', name: 'by name, A to Z',
                owner: 'by owner, A to Z', category: 'by category, A to Z' };
  // The column each order sorts by, and how, for screen readers (aria-sort): most in need first is by
  // health, but in an order of its own.
  var SORTED = { need: [2, 'other'], name: [0, 'ascending'], owner: [3, 'ascending'], category: [4, 'ascending'] };
  var headers = document.querySelectorAll('table.kpi-list thead th');
  // The categories in the order of the menu, which the page lists them in: a KPI without one last.
  var categories = form.elements.category ? Array.prototype.map.call(form.elements.category.options, function (o) { return o.value; }) : [];
  function categoryRank(row) {
    var n = categories.indexOf(row.dataset.category || '');
    return n < 1 ? categories.length : n;
  }
  function fromFile(a, b) { return a.dataset.file - b.dataset.file; }
  var unknown = [];  // choices of the address that no menu has (a category renamed since the link was made)
  var MENUS = ['health', 'category', 'order'];
  // A menu by its name: form.elements[name] would also give the collection's own length, item or toString.
  function menu(name) {
    var control = MENUS.indexOf(name) < 0 ? null : form.elements.namedItem(name);
    return control && control.options ? control : null;
  }
  function choose(name, value) {
    var select = menu(name);
    if (!select || !value) return;
    for (var i = 0; i < select.options.length; i++) if (select.options[i].value === value) { select.value = value; return; }
    if (name !== 'order') unknown.push('no KPI has the ' + name + ' \u201c' + value + '\u201d');
  }
  // orderChanged: the order is what the reader just chose, which the status line then says too.
  function show(orderChanged) {
    var health = form.elements.health.value;
    var category = form.elements.category ? form.elements.category.value : '';
    var order = ORDERS[form.elements.order.value];
    var shown = 0;
    rows.slice().sort(function (a, b) { return (order && order(a, b)) || fromFile(a, b); }).forEach(function (row) {
      row.hidden = (health && row.dataset.health !== health) || (category && row.dataset.category !== category);
      if (!row.hidden) shown++;
      body.appendChild(row);
    });
    var filtered = health || category;
    var notes = unknown.slice();
    if (filtered) notes.push(shown + ' of ' + rows.length + ' KPIs shown');
    else if (unknown.length) notes.push('every KPI is shown');
    else if (orderChanged) notes.push('all ' + rows.length + ' KPIs shown');
    var orderWords = WORDS[form.elements.order.value] || WORDS[''];
    var said = notes.join('; ') + (orderChanged ? ', ' + orderWords : '');
    count.textContent = said ? said.charAt(0).toUpperCase() + said.slice(1) + '.' : '';
    var total = document.getElementById('kpi-shown');
    if (total) total.textContent = filtered ? shown + ' of ' + rows.length + ' KPIs' : 'All ' + rows.length + ' KPIs';
    var words = document.getElementById('kpi-order-words');
    if (words) words.textContent = orderWords;
    markSorted(SORTED[form.elements.order.value]);
  }
  function markSorted(sorted) {
    Array.prototype.forEach.call(headers, function (th, i) {
      if (sorted && sorted[0] === i) th.setAttribute('aria-sort', sorted[1]);
      else th.removeAttribute('aria-sort');
    });
  }
  function remember() {
    var query = [];
    MENUS.forEach(function (name) {
      var select = menu(name);
      if (select && select.value) query.push(name + '=' + encodeURIComponent(select.value));
    });
    try {
      history.replaceState(null, '', location.pathname + (query.length ? '?' + query.join('&') : '') + location.hash);
    } catch (e) { /* a page opened from disk may not change its address: the choice still shows */ }
  }
  new URLSearchParams(location.search).forEach(function (value, name) { choose(name, value); });
  form.addEventListener('change', function (event) { unknown = []; show(event.target === form.elements.order); remember(); });
  form.addEventListener('submit', function (event) { event.preventDefault(); });
  form.hidden = false;
  show();
})();
