// The guide page: large-type mode (remembered on this device) and reading the answer aloud.
// Progressive enhancement only: the page works without this file.
(function () {
  var KEY = "onewindow.guide.large";

  function setLarge(on) {
    document.body.classList.toggle("guide-large", on);
    var button = document.querySelector("[data-guide-large]");
    if (button) button.setAttribute("aria-pressed", on ? "true" : "false");
    try { window.localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* private mode */ }
  }

  function answerText() {
    var parts = [];
    document.querySelectorAll("#guide-answer [data-guide-reply], #guide-answer .guide-follow strong, " +
      "#guide-answer .guide-scenario li > a, #guide-answer .guide-item h3").forEach(function (el) {
      parts.push(el.textContent.trim());
    });
    return parts.join("。");
  }

  document.addEventListener("DOMContentLoaded", function () {
    var large = document.querySelector("[data-guide-large]");
    if (large) {
      var stored = null;
      try { stored = window.localStorage.getItem(KEY); } catch (e) { stored = null; }
      // A hall's touch screen can open /guide/?large=1 to start (and stay) in large type.
      var asked = new URLSearchParams(window.location.search).get("large");
      setLarge(asked === "1" || (asked !== "0" && stored === "1"));
      large.addEventListener("click", function () {
        setLarge(!document.body.classList.contains("guide-large"));
      });
    }
    var speak = document.querySelector("[data-guide-speak]");
    if (speak && "speechSynthesis" in window) {
      speak.hidden = false;
      speak.addEventListener("click", function () {
        window.speechSynthesis.cancel();
        var utterance = new SpeechSynthesisUtterance(answerText());
        utterance.lang = "zh-CN";
        window.speechSynthesis.speak(utterance);
      });
    }
  });
})();
