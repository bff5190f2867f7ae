// reportqa question page: asks POST v1/ask and shows the cited answer.
//
// Every piece of report text (answers, quotes, paragraphs, sections, reasons, error
// messages) is inserted with textContent or text nodes, never as markup: the reports are
// third-party documents and may contain "<script>" or prompt-injection text.
"use strict";

(function () {
  const KEY_STORAGE = "reportqa.apiKey";
  // A citation marker in an answer: "[doc_id#12]".
  const MARKER = /\[([^\[\]\s]+#\d+)\]/g;
  const CJK = /[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]/;

  const $ = (id) => document.getElementById(id);
  const form = $("ask-form");
  const questionBox = $("question");
  const topKBox = $("top-k");
  const askButton = $("ask-button");
  const keyBox = $("api-key");
  const keySettings = $("key-settings");
  const statusLine = $("status");
  const result = $("result");
  const answerBox = $("answer");
  const abstainedBox = $("abstained");
  const abstainReason = $("abstain-reason");
  const citationsBlock = $("citations-block");
  const citationsList = $("citations");
  const hitsBlock = $("hits-block");
  const hitsList = $("hits");
  const panel = $("paragraph");

  let busy = false;

  // ---------------------------------------------------------------- helpers

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function langOf(text) {
    return CJK.test(text || "") ? "zh-Hans" : "en";
  }

  function setStatus(message, kind) {
    statusLine.textContent = message || "";
    statusLine.className = "status" + (kind ? " " + kind : "");
  }

  function sectionPath(section) {
    return Array.isArray(section) && section.length ? section.join(" / ") : "—";
  }

  // The service counts offsets in Unicode code points (Python str); JavaScript strings
  // count UTF-16 units. Split by code point so characters outside the BMP (rare CJK,
  // emoji) do not shift the highlight.
  function splitByCodePoints(text, start, end) {
    const chars = Array.from(text);
    const from = Math.max(0, Math.min(start, chars.length));
    const to = Math.max(from, Math.min(end, chars.length));
    return [chars.slice(0, from).join(""), chars.slice(from, to).join(""),
      chars.slice(to).join("")];
  }

  // ---------------------------------------------------------------- API key

  function storedKey() {
    try {
      return sessionStorage.getItem(KEY_STORAGE) || "";
    } catch (error) {
      return "";
    }
  }

  function storeKey(value) {
    try {
      if (value) sessionStorage.setItem(KEY_STORAGE, value);
      else sessionStorage.removeItem(KEY_STORAGE);
    } catch (error) {
      // Storage disabled: the key still works for this page view.
    }
  }

  keyBox.value = storedKey();
  if (keyBox.value) keySettings.open = false;
  keyBox.addEventListener("input", () => storeKey(keyBox.value.trim()));
  $("forget-key").addEventListener("click", () => {
    keyBox.value = "";
    storeKey("");
    keyBox.focus();
  });

  // ---------------------------------------------------------------- the request

  class ApiError extends Error {
    constructor(status, message, retryAfter) {
      super(message);
      this.status = status;
      this.retryAfter = retryAfter;
    }
  }

  async function ask(question, topK) {
    const headers = { "Content-Type": "application/json", "Accept": "application/json" };
    const key = keyBox.value.trim();
    if (key) headers["Authorization"] = "Bearer " + key;
    let response;
    try {
      response = await fetch("v1/ask", {
        method: "POST",
        headers: headers,
        body: JSON.stringify({ question: question, top_k: topK }),
        credentials: "same-origin",
      });
    } catch (error) {
      throw new ApiError(0, "无法连接服务 · Cannot reach the service (" + error.message + ")");
    }
    let body = null;
    try {
      body = await response.json();
    } catch (error) {
      body = null;
    }
    if (!response.ok) {
      const message = body && body.error && body.error.message
        ? body.error.message : response.status + " " + response.statusText;
      throw new ApiError(response.status, message, response.headers.get("Retry-After"));
    }
    return body;
  }

  function describeError(error) {
    if (!(error instanceof ApiError)) return "出错了 · Something went wrong: " + error.message;
    switch (error.status) {
      case 0:
        return error.message;
      case 401:
        keySettings.open = true;
        keyBox.focus();
        return "需要 API 密钥 · An API key is needed: " + error.message;
      case 422:
        return "问题无效 · The question was refused: " + error.message;
      case 429:
        return "请求过多 · Too many requests" +
          (error.retryAfter ? " (" + error.retryAfter + " s)" : "") + ": " + error.message;
      case 503:
        return "服务尚未就绪 · The service is not ready: " + error.message;
      default:
        return "出错了 · Error " + error.status + ": " + error.message;
    }
  }

  // ---------------------------------------------------------------- rendering

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function citationButton(citation, label) {
    const button = el("button", label, "cite");
    button.type = "button";
    button.dataset.citationId = citation.id;
    button.title = "打开引用段落 · Open the cited paragraph " + citation.id;
    button.setAttribute("aria-label", "打开引用段落 Open cited paragraph " + citation.id);
    button.addEventListener("click", () => showParagraph(citation, true));
    return button;
  }

  function renderAnswer(answer) {
    clear(answerBox);
    const byId = new Map((answer.citations || []).map((c) => [c.id, c]));
    const text = answer.answer || "";
    answerBox.lang = langOf(text);
    let last = 0;
    for (const match of text.matchAll(MARKER)) {
      const citation = byId.get(match[1]);
      if (!citation) continue; // Not a marker of this answer: stays plain text.
      if (match.index > last) {
        answerBox.appendChild(document.createTextNode(text.slice(last, match.index)));
      }
      answerBox.appendChild(citationButton(citation, match[0]));
      last = match.index + match[0].length;
    }
    if (last < text.length) answerBox.appendChild(document.createTextNode(text.slice(last)));
  }

  function renderCitations(citations) {
    clear(citationsList);
    citationsBlock.hidden = citations.length === 0;
    for (const citation of citations) {
      const item = el("li");
      item.appendChild(citationButton(citation, "[" + citation.id + "]"));
      item.appendChild(el("span", " " + sectionPath(citation.section), "section"));
      const quote = el("q", citation.quote, "quote");
      quote.lang = langOf(citation.quote);
      item.appendChild(quote);
      citationsList.appendChild(item);
    }
  }

  function renderHits(hits) {
    clear(hitsList);
    hitsBlock.hidden = hits.length === 0;
    for (const hit of hits) {
      const item = el("li");
      const button = el("button", hit.id, "hit");
      button.type = "button";
      button.dataset.hitId = hit.id;
      button.addEventListener("click", () => showParagraph(hit, false));
      item.appendChild(button);
      item.appendChild(el("span", " " + sectionPath(hit.section), "section"));
      const score = typeof hit.score === "number" ? hit.score.toFixed(4) : "";
      item.appendChild(el("span", score, "score"));
      hitsList.appendChild(item);
    }
  }

  function render(answer) {
    result.hidden = false;
    abstainedBox.hidden = !answer.abstained;
    result.classList.toggle("is-abstained", Boolean(answer.abstained));
    abstainReason.textContent = answer.reason || "";
    abstainReason.lang = langOf(answer.reason);
    renderAnswer(answer);
    renderCitations(answer.citations || []);
    renderHits(answer.hits || []);
    panel.hidden = true;
  }

  // Paragraph panel. ``item`` is a citation (with quote offsets) or a search hit.
  function showParagraph(item, highlight) {
    for (const node of document.querySelectorAll(".cite.active, .hit.active")) {
      node.classList.remove("active");
      node.removeAttribute("aria-current");
    }
    const selector = highlight ? ".cite" : ".hit";
    for (const node of document.querySelectorAll(selector)) {
      const id = highlight ? node.dataset.citationId : node.dataset.hitId;
      if (id === item.id) {
        node.classList.add("active");
        node.setAttribute("aria-current", "true");
      }
    }
    $("p-doc").textContent = item.doc_id;
    $("p-number").textContent = String(item.paragraph);
    $("p-section").textContent = sectionPath(item.section);
    const hasPage = item.page !== null && item.page !== undefined;
    $("p-page").hidden = !hasPage;
    $("p-page-label").hidden = !hasPage;
    $("p-page").textContent = hasPage ? String(item.page) : "";

    const textBox = $("p-text");
    clear(textBox);
    const text = item.text || "";
    textBox.lang = langOf(text);
    textBox.dataset.paragraphId = item.id;
    const start = Number(item.quote_start);
    const end = Number(item.quote_end);
    if (highlight && Number.isInteger(start) && Number.isInteger(end) && end > start) {
      const [before, quoted, after] = splitByCodePoints(text, start, end);
      textBox.appendChild(document.createTextNode(before));
      const mark = el("mark", quoted, "quote-highlight");
      textBox.appendChild(mark);
      textBox.appendChild(document.createTextNode(after));
      $("p-note").textContent = "高亮部分为答案所引原文。 Highlighted: the sentence the answer quotes.";
    } else {
      textBox.textContent = text;
      $("p-note").textContent = "检索到的段落（未被引用）。 A retrieved passage (not cited).";
    }
    panel.hidden = false;
    panel.focus({ preventScroll: true });
    panel.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  $("close-paragraph").addEventListener("click", () => {
    panel.hidden = true;
    const active = document.querySelector(".cite.active, .hit.active");
    if (active) active.focus();
  });

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !panel.hidden) $("close-paragraph").click();
  });

  // ---------------------------------------------------------------- the form

  async function submit() {
    if (busy) return;
    const question = questionBox.value.trim();
    if (!question) {
      setStatus("请输入问题。 Please type a question.", "error");
      questionBox.focus();
      return;
    }
    let topK = parseInt(topKBox.value, 10);
    if (!Number.isInteger(topK) || topK < 1) topK = 5;
    topK = Math.min(topK, 100);
    topKBox.value = String(topK);

    busy = true;
    askButton.disabled = true;
    form.setAttribute("aria-busy", "true");
    setStatus("正在检索… Searching…", "busy");
    try {
      const answer = await ask(question, topK);
      render(answer);
      const ms = answer.timings_ms
        ? Object.values(answer.timings_ms).reduce((a, b) => a + b, 0) : null;
      setStatus((answer.abstained ? "未作回答 · Abstained" : "已回答 · Answered") +
        (ms !== null ? " (" + ms.toFixed(0) + " ms)" : ""), answer.abstained ? "warn" : "ok");
      try {
        const url = new URL(window.location.href);
        url.searchParams.set("q", question);
        window.history.replaceState(null, "", url);
      } catch (error) {
        // Address bar not updatable (e.g. file://): nothing lost.
      }
    } catch (error) {
      setStatus(describeError(error), "error");
    } finally {
      busy = false;
      askButton.disabled = false;
      form.removeAttribute("aria-busy");
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit();
  });

  // Enter asks, Shift+Enter breaks the line; Enter that confirms an IME composition
  // (Chinese input) must not ask.
  questionBox.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing &&
        event.keyCode !== 229) {
      event.preventDefault();
      submit();
    }
  });

  const initial = new URLSearchParams(window.location.search).get("q");
  if (initial) {
    questionBox.value = initial;
    submit();
  }
})();
