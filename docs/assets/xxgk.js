// The search prompt on the home page opens Material's search box. Without scripts the
// prompt is still a <label for="__search">, which opens the search overlay.
(function () {
  function openSearch(event) {
    var input = document.querySelector(".md-search__input");
    if (!input) return;
    event.preventDefault();
    var toggle = document.getElementById("__search");
    if (toggle && !toggle.checked) toggle.click();
    input.focus();
  }
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest(".xx-search-box")) openSearch(event);
  });
  document.addEventListener("keydown", function (event) {
    if ((event.key === "Enter" || event.key === " ") && event.target.classList &&
        event.target.classList.contains("xx-search-box")) openSearch(event);
  });
})();
