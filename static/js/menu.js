// The account menu folds into a button on narrow screens. Without this script
// the menu simply stays open, so every link still works.
document.querySelectorAll("[data-menu-toggle]").forEach(function (button) {
  var menu = document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) return;
  button.hidden = false;
  menu.classList.add("is-collapsible");
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") === "true";
    button.setAttribute("aria-expanded", open ? "false" : "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      button.setAttribute("aria-expanded", "false");
      button.focus();
    }
  });
});
