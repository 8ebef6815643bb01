// Each clause label on a resolution page is a link to the clause (its permalink); this adds
// a button beside it that copies the full address. Without JavaScript the label stays a
// plain link, whose address the browser can copy. Its words come from the page
// (#permalink-words), in the page's language.
(function () {
  "use strict";
  if (!navigator.clipboard) return;
  var words = document.getElementById("permalink-words");
  if (!words) return;
  var say = function (key, clause) { return (words.getAttribute("data-" + key) || "").replace("{clause}", clause || ""); };
  var label = say("label", "\u0000").split("\u0000"); // what stands around a clause's name in its link's label
  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  document.body.appendChild(status);
  document.querySelectorAll("a[data-permalink]").forEach(function (a) {
    var name = a.getAttribute("aria-label") || "";
    if (label.length === 2 && name.indexOf(label[0]) === 0 && name.slice(name.length - label[1].length) === label[1]) {
      name = name.slice(label[0].length, name.length - label[1].length);
    }
    var b = document.createElement("button");
    b.type = "button";
    b.className = "copy-link";
    b.textContent = say("copy");
    b.setAttribute("aria-label", say("copy-to", name));
    b.addEventListener("click", function () {
      var url = new URL(a.getAttribute("href"), window.location.href).href;
      navigator.clipboard.writeText(url).then(function () {
        status.textContent = say("copied-to", name);
        b.textContent = say("copied");
        setTimeout(function () { b.textContent = say("copy"); }, 2000);
      }, function () {
        window.location.hash = a.getAttribute("href");
        status.textContent = say("failed");
      });
    });
    a.insertAdjacentElement("afterend", b);
  });
})();
