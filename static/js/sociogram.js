// Pan and zoom on the sociogram: drag to move it, the wheel or the buttons to zoom,
// the arrow keys and + and - once the frame has the focus. Without this script the
// sociogram is a plain image, as it is in print.
document.querySelectorAll("[data-sociogram]").forEach(function (frame) {
  var image = frame.querySelector("img");
  if (!image) return;
  var view = { scale: 1, x: 0, y: 0 };
  var drag = null;
  var MIN = 1;
  var MAX = 20;

  function apply() {
    var width = frame.clientWidth;
    var height = frame.clientHeight;
    // Keep the drawing over the frame: no empty space beyond its edges.
    view.x = Math.min(0, Math.max(width - width * view.scale, view.x));
    view.y = Math.min(0, Math.max(height - height * view.scale, view.y));
    image.style.transform =
      "translate(" + view.x + "px, " + view.y + "px) scale(" + view.scale + ")";
  }

  function zoom(factor, atX, atY) {
    var scale = Math.min(MAX, Math.max(MIN, view.scale * factor));
    var ratio = scale / view.scale;
    view.x = atX - (atX - view.x) * ratio;
    view.y = atY - (atY - view.y) * ratio;
    view.scale = scale;
    apply();
  }

  function centre(factor) {
    zoom(factor, frame.clientWidth / 2, frame.clientHeight / 2);
  }

  function button(label, text, action) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = "button button-secondary button-small";
    element.textContent = text;
    element.setAttribute("aria-label", label);
    element.title = label;
    element.addEventListener("click", action);
    return element;
  }

  var controls = document.createElement("div");
  controls.className = "sociogram-controls";
  controls.appendChild(button(frame.dataset.zoomIn, "+", function () { centre(1.5); }));
  controls.appendChild(button(frame.dataset.zoomOut, "\u2212", function () { centre(1 / 1.5); }));
  controls.appendChild(
    button(frame.dataset.zoomReset, "\u21ba", function () {
      view = { scale: 1, x: 0, y: 0 };
      apply();
    })
  );
  var hint = document.createElement("span");
  hint.className = "muted";
  hint.textContent = frame.dataset.hint;
  controls.appendChild(hint);
  frame.parentNode.insertBefore(controls, frame);

  frame.classList.add("is-interactive");
  frame.tabIndex = 0;
  frame.setAttribute("role", "group");
  frame.setAttribute("aria-label", frame.dataset.hint);

  frame.addEventListener(
    "wheel",
    function (event) {
      event.preventDefault();
      var box = frame.getBoundingClientRect();
      zoom(event.deltaY < 0 ? 1.2 : 1 / 1.2, event.clientX - box.left, event.clientY - box.top);
    },
    { passive: false }
  );
  frame.addEventListener("pointerdown", function (event) {
    drag = { id: event.pointerId, x: event.clientX - view.x, y: event.clientY - view.y };
    frame.setPointerCapture(event.pointerId);
    frame.classList.add("is-dragging");
  });
  frame.addEventListener("pointermove", function (event) {
    if (!drag || drag.id !== event.pointerId) return;
    view.x = event.clientX - drag.x;
    view.y = event.clientY - drag.y;
    apply();
  });
  function stop() {
    drag = null;
    frame.classList.remove("is-dragging");
  }
  frame.addEventListener("pointerup", stop);
  frame.addEventListener("pointercancel", stop);
  frame.addEventListener("keydown", function (event) {
    var step = 40;
    var moves = {
      ArrowLeft: [step, 0],
      ArrowRight: [-step, 0],
      ArrowUp: [0, step],
      ArrowDown: [0, -step],
    };
    if (moves[event.key]) {
      view.x += moves[event.key][0];
      view.y += moves[event.key][1];
      apply();
    } else if (event.key === "+" || event.key === "=") {
      centre(1.5);
    } else if (event.key === "-") {
      centre(1 / 1.5);
    } else {
      return;
    }
    event.preventDefault();
  });
  window.addEventListener("resize", apply);
});
