// The review page, projected: the left and right arrow keys move from one top-level objective to the next,
// except in a box that scrolls sideways (a wide table on a phone), where they scroll it.
(function () {
  function scrollsSideways(el) {
    for (; el && el !== document.body; el = el.parentElement) {
      if (el.scrollWidth > el.clientWidth && /auto|scroll/.test(getComputedStyle(el).overflowX)) return true;
    }
    return false;
  }
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
    if (scrollsSideways(event.target)) return;
    var step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (!step) return;
    var next = Math.min(Math.max(current() + step, 0), stops.length - 1);
    stops[next].scrollIntoView({ block: 'start' });
    stops[next].focus({ preventScroll: true });
    event.preventDefault();
  });
  stops.forEach(function (el) { el.setAttribute('tabindex', '-1'); });
})();
