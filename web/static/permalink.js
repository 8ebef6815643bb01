// Each clause label on a resolution page is a link to the clause (its permalink); this adds
// a button beside it that copies the full address. Without JavaScript the label stays a
// plain link, whose address the browser can copy.
(function () {
  "use strict";
  if (!navigator.clipboard) return;
  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  document.body.appendChild(status);
  document.querySelectorAll("a[data-permalink]").forEach(function (a) {
    var name = (a.getAttribute("aria-label") || "").replace(/, link to this clause$/, "");
    var b = document.createElement("button");
    b.type = "button";
    b.className = "copy-link";
    b.textContent = "Copy link";
    b.setAttribute("aria-label", "Copy link to " + name);
    b.addEventListener("click", function () {
      var url = new URL(a.getAttribute("href"), window.location.href).href;
      navigator.clipboard.writeText(url).then(function () {
        status.textContent = "Link to " + name + " copied";
        b.textContent = "Copied";
        setTimeout(function () { b.textContent = "Copy link"; }, 2000);
      }, function () {
        window.location.hash = a.getAttribute("href");
        status.textContent = "Copying failed; the address bar shows the link";
      });
    });
    a.insertAdjacentElement("afterend", b);
  });
})();
