// The review page, projected: the left and right arrow keys move from one top-level objective to the next.
(function () {
  var stops = Array.prototype.slice.call(document.querySelectorAll('.review-objective[data-depth="0"]'));
  if (!stops.length) return;
  function current() {
    var index = -1;
    stops.forEach(function (el, i) { if (el.getBoundingClientRect().top <= 40) index = i; });
    return index;
  }
  document.addEventListener('keydown', function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || event.defaultPrevented) return;
    if (event.target.closest && event.target.closest('input, textarea, select, [contenteditable]')) return;
    var step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (!step) return;
    var next = Math.min(Math.max(current() + step, 0), stops.length - 1);
    stops[next].scrollIntoView({ block: 'start' });
    stops[next].focus({ preventScroll: true });
    event.preventDefault();
  });
  stops.forEach(function (el) { el.setAttribute('tabindex', '-1'); });
})();
