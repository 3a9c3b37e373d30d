/* A collapsible tree with a search box (the 组织机构 page; any <ul> of <li> nodes whose
 * subtrees are <details>). Markup:
 *
 *   <div data-tree-tools="org-tree">
 *     <input type="search" data-tree-search> <button data-tree-expand> <button data-tree-collapse>
 *     <span data-tree-status></span>
 *   </div>
 *   <ul id="org-tree"> <li class="org-node" data-name="…"> … </li> </ul>
 *
 * Typing shows only the nodes whose data-name contains the text, with their ancestors
 * opened; clearing it restores the tree as it was. No server round trip.
 */
(function () {
  "use strict";

  function setup(tools) {
    var tree = document.getElementById(tools.getAttribute("data-tree-tools"));
    if (!tree) return;
    var input = tools.querySelector("[data-tree-search]");
    var status = tools.querySelector("[data-tree-status]");
    var nodes = Array.prototype.slice.call(tree.querySelectorAll("li[data-name]"));
    var details = Array.prototype.slice.call(tree.querySelectorAll("details"));
    var initial = details.map(function (d) { return d.open; });

    function restore() {
      nodes.forEach(function (li) { li.hidden = false; li.classList.remove("is-match"); });
      details.forEach(function (d, i) { d.open = initial[i]; });
      if (status) status.textContent = "";
    }

    function search(text) {
      text = text.trim().toLowerCase();
      if (!text) { restore(); return; }
      var shown = new Set();
      var matches = 0;
      nodes.forEach(function (li) {
        var hit = li.getAttribute("data-name").toLowerCase().indexOf(text) !== -1;
        li.classList.toggle("is-match", hit);
        if (!hit) return;
        matches += 1;
        for (var el = li; el && el !== tree; el = el.parentElement) {
          if (el.tagName === "LI") shown.add(el);
        }
      });
      nodes.forEach(function (li) { li.hidden = !shown.has(li); });
      details.forEach(function (d) { d.open = hasShownChild(d, shown); });
      if (status) status.textContent = matches ? "找到 " + matches + " 个单位" : "没有名称含“" + text + "”的单位";
    }

    function hasShownChild(d, shown) {
      var list = d.querySelector(":scope > ul");
      if (!list) return false;
      for (var i = 0; i < list.children.length; i += 1) {
        if (shown.has(list.children[i])) return true;
      }
      return false;
    }

    if (input) {
      input.addEventListener("input", function () { search(input.value); });
      input.addEventListener("keydown", function (e) { if (e.key === "Enter") e.preventDefault(); });
    }
    var expand = tools.querySelector("[data-tree-expand]");
    var collapse = tools.querySelector("[data-tree-collapse]");
    if (expand) expand.addEventListener("click", function () {
      if (input) input.value = "";
      restore();
      details.forEach(function (d) { d.open = true; });
    });
    if (collapse) collapse.addEventListener("click", function () {
      if (input) input.value = "";
      restore();
      details.forEach(function (d) { d.open = !d.parentElement.parentElement.closest("li"); });
    });
  }

  function init() {
    document.querySelectorAll("[data-tree-tools]").forEach(setup);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
