// The alignment map scrolls sideways inside its frame on a phone: a box that takes the keyboard's focus
// while partly past the frame's edge is brought wholly into view (a browser scrolls only a hidden one).
(function () {
  document.addEventListener('focusin', function (event) {
    var box = event.target.closest && event.target.closest('.amap-scroll .amap-node');
    if (box) box.scrollIntoView({block: 'nearest', inline: 'nearest'});
  });
})();
