// Progressive enhancement: the search page lists everything; this filters the list as you type.
(function () {
  var form = document.querySelector("form.search");
  var input = document.getElementById("q");
  var count = document.getElementById("search-count");
  var items = Array.prototype.slice.call(document.querySelectorAll(".search-results li"));
  if (!form || !input) return;
  form.hidden = false;
  document.querySelector(".no-js").hidden = true;
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  function filter() {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    items.forEach(function (item) {
      var text = item.getAttribute("data-text");
      var match = words.every(function (word) { return text.indexOf(word) !== -1; });
      item.hidden = !match;
      if (match) shown += 1;
    });
    count.textContent = words.length ? shown + " of " + items.length + " match" : "";
  }
  input.addEventListener("input", filter);
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) { input.value = query; }
  filter();
})();
