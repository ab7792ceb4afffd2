// Tables that may be wider than the screen say so: an element with data-scroll-cue="ID" shows
// the cue with that id only while its content is wider than it (on load and on resize).
// Without JavaScript the table still scrolls, with edge shadows as the cue (see quizzes.css).
(function () {
  function update() {
    document.querySelectorAll("[data-scroll-cue]").forEach(function (box) {
      var cue = document.getElementById(box.dataset.scrollCue);
      if (cue) cue.hidden = box.scrollWidth <= box.clientWidth + 1;
    });
  }
  document.addEventListener("DOMContentLoaded", update);
  window.addEventListener("resize", update);
})();
