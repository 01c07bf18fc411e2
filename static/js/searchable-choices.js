// A long list of checkboxes gets a box that filters it, and a count of what is chosen.
// Without this script the list still works: it scrolls, and every box can be ticked.
(function () {
  "use strict";

  function folded(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  function enhance(fieldset, index) {
    var list = fieldset.querySelector(".choices-list");
    if (!list) {
      return;
    }
    var choices = Array.prototype.slice.call(list.querySelectorAll(".choice"));
    var id = "choices-filter-" + index;
    var label = document.createElement("label");
    label.setAttribute("for", id);
    label.className = "choices-filter-label";
    label.textContent = fieldset.dataset.filterLabel;
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.className = "choices-filter";
    input.setAttribute("autocomplete", "off");
    var count = document.createElement("p");
    count.className = "muted choices-count";
    count.setAttribute("aria-live", "polite");

    function showCount() {
      var chosen = list.querySelectorAll("input:checked").length;
      count.textContent = chosen + " " + fieldset.dataset.countLabel;
    }

    input.addEventListener("input", function () {
      var wanted = folded(input.value);
      choices.forEach(function (choice) {
        var checked = choice.querySelector("input").checked;
        choice.hidden = wanted !== "" && !checked && folded(choice.textContent).indexOf(wanted) === -1;
      });
    });
    // Enter in the filter box filters; it does not send the form.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
      }
    });
    list.addEventListener("change", showCount);
    fieldset.insertBefore(count, list);
    fieldset.insertBefore(input, count);
    fieldset.insertBefore(label, input);
    showCount();
  }

  Array.prototype.forEach.call(document.querySelectorAll(".field-searchable"), enhance);
})();
