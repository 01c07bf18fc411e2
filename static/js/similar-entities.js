// "This organisation may already be here": refresh the list of similar names while the name is typed.
(function () {
  "use strict";
  var box = document.getElementById("similar-entities");
  var input = document.getElementById("id_name");
  if (!box || !input || !window.fetch) {
    return;
  }
  var timer = null;
  var lastAsked = input.value.trim();
  function refresh() {
    var name = input.value.trim();
    if (name === lastAsked || name.length < 3) {
      return;
    }
    lastAsked = name;
    fetch(box.dataset.url + "?name=" + encodeURIComponent(name), {
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.ok ? response.text() : "";
      })
      .then(function (html) {
        if (name === lastAsked) {
          box.innerHTML = html;
        }
      })
      .catch(function () {});
  }
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 400);
  });
})();
