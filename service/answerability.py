"""Does a passage hold the kind of answer a question asks for?

Embedding similarity says a passage is *about* what the question is about; it cannot
say the passage *answers* it. "How long must providers retain traffic data?" scores as
high against the paragraph on production orders as "whose law applies to production
orders?" does, because both are about providers and data. With the bundled model the
relevance of such near-miss questions overlaps that of answerable ones (README,
"Abstention"), so no threshold separates them.

What does separate many of them is the classic answer-type test of question answering
systems (TREC QA, Watson): a question that asks *how many*, *how long*, *how much money*,
*when*, *where* a meeting is held, *which state* or *who* said something, *what a named
party's position* was or *what an instrument provides* is answered only by a passage
that states a number, a length of time, an amount, a date, a place, a named speaker, a
statement attributed to a named party or a provision; and a question that cites a
reference number ("article 18", "resolution 74/247") only by a passage that contains
it, and a question about an office ("who chaired the meeting?") only by a passage that
mentions the office. Finer: a date answers *when* only in a sentence about the event
asked of; a list answers *how many*, *which States ratified* or *which State proposed*
only if it lists that kind of thing, introduced as doing what the question asks
(speaking is not ratifying), and a number only if it counts that kind; whether
something was *finally* decided needs a decision stated as taken, not proposed;
whether it was adopted *by consensus* needs a passage that says how it was adopted; a
question for a penalty, for how a State joins a treaty, for a person's name (also "who
spoke on behalf of X"), for a budget or a cost, for a definition, for the count of a
vote, for where a body is based, for a real case or for the documents a procedure
requires needs a passage that gives one ("within the central authority" says where a
recommended unit sits, not where another body is; "涉及恐怖主义的案件" is a kind of
case, not one), and one asking what an individual, victim or user should do needs a
passage that mentions such persons. A Chinese question naming an organisation or a
《title》 the index does not know ("国际电信联盟", "《网络安全法》"), an English one
naming an unknown acronym ("GDPR"), and any question about a Protocol, need a passage
that names it.

The rules are regular expressions plus jieba's part-of-speech tags, written by hand
because no library classifies Chinese and English questions by answer type offline.
They are deliberately narrow, since refusing a question the reports answer is the worse
failure: a question with no recognised type passes, and sixteen reviews wrote
answerable phrasings to provoke the rules, 589 of them now tests
(tests/test_answerability.py).
Chinese type and view cues are read from the question's main clauses (the last one, and
earlier ones that are not conditions such as "如果……，"); English cues, provisions and
reference numbers from the whole question, where the question word comes first.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import jieba.posseg

from index.text import ensure_jieba, has_cjk, tokenize
from index.translate import bundled_dictionary

QUANTITY = "quantity"
DURATION = "duration"
UNTIL = "until"
MONEY = "money"
TIME = "time"
DATE = "date"
PLACE = "place"
STATE = "state"
SPEAKER = "speaker"
VIEW = "view"
PROVISION = "provision"
LIST = "list"
OUTCOME = "outcome"
MANNER = "manner"
PENALTY = "penalty"
PERSON = "person"
ACCESSION = "accession"
DEFINITION = "definition"
VOTES = "votes"
SEAT = "seat"
DOCUMENTS = "documents"
CASE = "case"

# What an abstention says the question asks for, per type.
TYPE_NAMES = {
    QUANTITY: "a number",
    DURATION: "a length of time",
    UNTIL: "a length of time or an end point",
    MONEY: "an amount of money",
    TIME: "a date or time",
    DATE: "a day's date",
    PLACE: "a place",
    STATE: "a named state",
    SPEAKER: "a named state, organisation or person",
    VIEW: "what a named party said",
    PROVISION: "what an instrument provides",
    LIST: "a list of those asked about",
    OUTCOME: "a decision that was taken",
    MANNER: "how it was decided (by consensus or by vote)",
    PENALTY: "a penalty or sanction",
    PERSON: "a person's name",
    ACCESSION: "how a State joins an instrument",
    DEFINITION: "a definition",
    VOTES: "a count of votes",
    SEAT: "where it is based",
    DOCUMENTS: "the documents required",
    CASE: "a real case or incident",
}

# Only so much of a question is tagged: what it asks for is in its first few hundred
# characters, and jieba's tagger is the costly part.
_TAGGED_QUESTION_CHARS = 300

# ------------------------------------------------------------------ question cues

_AUX = (r"(?:will|would|did|does|do|is|was|are|were|should|shall|can|could|must|has|have|"
        r"had|may|might)")
# "When it is unclear where the data sits, what …": a subordinate "when"/"where" is
# followed by its clause's subject; an interrogative one by an auxiliary verb. And "when"
# asks for a date only of an event: "when should production orders follow the suspect's
# law?" asks for a condition.
_EVENT_EN = (r"(?:be held|held|hold|take place|meet|convene|begin|start|commence|end|finish|"
             r"conclude|expire|adopt|adopted|enter into force|come into force|"
             r"(?:take|come|go|enter) into effect|take effect|become effective|submit|submitted|"
             r"open|close|sign|signed|ratify|ratified|establish|established|launch|launched|"
             r"complete|completed|decide|decided|vote|voted|report|published?|issued?)")
_EN_TIME = re.compile(rf"\bwhen (?:and where )?{_AUX}\b[^?]{{0,80}}?\b{_EVENT_EN}\b"
                      r"|\b(?:by|until|since) when\b"
                      r"|\b(?:what|which) (?:year|month|deadline)\b(?!-)"
                      r"|\bwhat(?:'s|’s| is| was| will be) the (?:deadline|timeline|timetable)\b",
                      re.I)
# "On which day / what date": a year does not answer it.
_EN_DATE = re.compile(r"\b(?:what|which|on what|on which) (?:date|day)\b(?!-)"
                      r"|\bwhat(?:'s|’s| is| was| will be) the date\b", re.I)
# Where a meeting is held or a body has its seat: "where does the report stand" and
# "where should the unit sit within government" ask for no place.
_VENUE_EN = r"(?:be held|held|hold|meet|take place|convene|be headquartered|headquartered)"
# "Where will the unit be based?" asks for a place; "where should units be located?" asks
# for a recommendation, which may be "within the central authority".
_EN_PLACE = re.compile(rf"\bwhere (?:and when )?{_AUX}\b[^?]{{0,80}}?\b{_VENUE_EN}\b"
                       r"|\bwhere will\b[^?]{0,80}?\bbe (?:based|seated|headquartered)\b"
                       r"|\b(?:what|which|in what|in which) (?:city|town|venue|country will)\b",
                       re.I)
_EN_DURATION = re.compile(r"\bhow long (?!has\b|have\b|had\b)"
                          # "What maximum deadline does the report set for responding?"
                          r"|\b(?:what|which) (?:maximum|minimum|exact|specific|fixed) "
                          r"(?:deadline|time limit|time ?frame)\b"
                          # "What maximum response time did the report recommend?"
                          r"|\b(?:what|which)(?:['’]s| is| was)?(?: the)? (?:(?:maximum|minimum|"
                          r"exact|specific|target|average|standard) )?(?:response|processing|"
                          r"turnaround|reply) times?(?: limits?)?"
                          r"(?= (?:did|does|do|is|was|are|were|should|must|would|will|has|have|"
                          r"for|to)\b|\s*\?)"
                          r"|\bwhat (?:is|was) the (?:maximum |minimum )?(?:time limit|time ?frame)"
                          r" for\b"
                          # "Within how many days must a central authority respond?"
                          r"|\b(?:for|within|in) how many (?:(?:working|business) )?"
                          r"(?:years|months|weeks|days|hours)\b"
                          r"(?! (?:has|have|had)\b)"
                          # "the maximum number of days a state has to respond"
                          r"|\b(?:maximum|minimum) number of (?:years|months|weeks|days|hours)\b"
                          # "What data retention period did the experts recommend?"
                          r"|\bwhat(?:['’]s| is| was| are| were)? (?:the )?(?:(?:data|minimum|"
                          r"maximum|mandatory) )?(?:retention|storage) (?:period|time|duration)\b",
                          re.I)
# A count of people, states, bodies, meetings or votes. "How many topics / kinds of
# units" is answered by naming them, and "how many of the recommendations" by counting
# paragraphs, so neither asks the passage for a number.
# Cases, requests, victims and the like are counted in statistics, never by naming them.
_COUNTED_EN = (r"(?:countries|states|members|experts|people|persons|participants|delegations|"
               r"delegates|organi[sz]ations|observers|sessions|meetings|votes|times|parties|"
               r"signatories|ratifications|staff|officers|officials|speakers|representatives|"
               r"governments|nations|cases|requests|offen[cs]es|crimes|incidents|attacks|"
               r"victims|arrests|prosecutions|convictions|investigations|complaints)")
# Between "how many" and the noun counted, only its modifiers ("how many cybercrime-related
# mutual legal assistance requests"): a verb, preposition or article ends the noun phrase,
# so "how many topics were proposed by States" counts topics, not States.
_EN_MODIFIER = (r"(?:(?!(?:are|is|were|was|be|been|do|does|did|have|has|had|should|would|"
                r"could|can|will|shall|must|may|might|by|of|to|for|in|on|at|with|from|that|"
                r"which|who|the|a|an|and|or|as|than|about|concerning|regarding|involving|"
                r"including|related|relating|between|among|under|within|into|per|such|like|"
                r"across|against|during|through|via|over)\b)[\w-]+ )")
# Not a count kept ("any way of keeping tabs on how many requests go in and out?").
_EN_QUANTITY = re.compile(r"(?<!regardless of )(?<!no matter )(?<!irrespective of )"
                          r"(?<!tabs on )(?<!track of )(?<!record of )(?<!records of )"
                          r"(?<!statistics on )(?<!count of )(?<!tally of )(?<!track )"
                          r"(?<!record )(?<!monitor )(?<!log )"
                          r"\bhow many (?!kinds?\b|types?\b|sorts?\b|categories\b|forms?\b|"
                          r"of the\b)" + _EN_MODIFIER + r"{0,4}?" + _COUNTED_EN + r"\b"
                          r"|\bwhat (?:is|was) the (?:number|total) of " + _COUNTED_EN + r"\b"
                          # "What age threshold does the report use to define a child?"
                          r"|\bwhat (?:minimum |maximum )?age(?: threshold| limit)?\b"
                          r"(?! groups?\b)", re.I)
_EN_MONEY = re.compile(r"\bhow much (?:\w+ ){0,2}?(?:money|funding|funds?|budget|costs?|"
                       r"financing|resources)\b"
                       # "How much did ransomware cost businesses?", not "how much did the
                       # experts stress cost".
                       r"|\bhow much (?:will|would|does|did|do|could|might|has|have|had) "
                       r"(?![^?]{0,60}?\b(?:stress|emphasi[sz]|focus|weigh|care|worr|think|"
                       r"talk|speak|say|mention)\w*\b)[^?]{0,60}?\bcost\b"
                       r"|\bwhat (?:is|was|will be) the (?:budget|cost|price|amount)"
                       r"(?: of| for|\?|$)"
                       # "What was the expert group's budget for 2020?": the budget itself, not
                       # "the budget argument" or "the impact on the budget".
                       r"|\bwhat (?:is|was|will be|were|are) (?:the |its |their )?"
                       r"(?:(?:[\w-]+ ){0,3}?[\w-]+['’]s? )?"
                       r"(?:annual |total |overall |yearly |estimated )?budgets?"
                       r"(?![\w-])(?=\s*(?:for\b|of\b|in\b|\?|$))"
                       # "What budget estimate does the report give?"
                       r"|\b(?:what|which|any|is there|are there|gives?|given|provides?|"
                       r"provided|offers?|includes?)\b[^?]{0,30}?\b(?:(?:budget|cost|funding) "
                       r"(?:estimates?|figures?|projections?)|estimated (?:costs?|budgets?))\b"
                       r"|\bhow much (?:money )?(?:should|will|would|do|does|did|must|can|could) "
                       r"[^?]{0,60}?\b(?:invest|spend|allocate|contribute|pay|budget)\b"
                       r"|\b(?:what|which) (?:level|amount|sum) of (?:funding|money|financing|"
                       r"investment|spending)\b"
                       # "What budget was allocated to …?": what was given, not what
                       # should be ("what funding should States provide?" is answered by
                       # the report's 投入资源), nor "what resources were committed".
                       r"|\b(?:what|which) (?:annual |total |overall )?(?:budget|funding|funds|"
                       r"money|financing) (?:(?:was|were|is|are|has|have|had|will) "
                       r"(?:been |be )?(?:allocated|assigned|earmarked|set aside|provided|"
                       r"approved|granted|given|made available)|(?:did|does|do|will) "
                       r"[^?]{0,40}?\b(?:allocate|assign|earmark|set aside|provide|approve|grant|"
                       r"give|make available))\b", re.I)
# "Who proposed …", "Which delegation suggested …": the agent of a statement, asked as
# the question's subject. Only adverbs may stand between it and the verb, so a relative
# clause ("those who opposed …") or a passive ("which body are recommendations submitted
# to") does not count.
_SPEECH_EN = (r"(?:proposed|suggested|said|stated|argued|sponsored|voted|opposed|supported|"
              r"called for|raised|objected|requested|submitted|tabled|put forward|advocated|"
              r"backed|chaired|presided|spoke|took the floor|welcomed|recommended|stressed|"
              r"emphasi[sz]ed|noted|urged|expressed|will chair|will preside|made (?:the|a|this) "
              r"(?:proposal|statement|suggestion))")
_EN_ADVERB = (r"(?: (?:also|first|initially|originally|formally|actually|specifically|"
              r"(?:most )?(?:strongly|firmly|explicitly|vehemently|openly)))?")
_STATES_EN = r"(?:country|countries|state|states|member states?|delegations?|governments?|nations?)"
_EN_STATE = re.compile(r"(?:^|[.;:!?,]\s*)(?:which|what) " + _STATES_EN
                       # "Which country's expert proposed …?"
                       + r"(?:['’]s? (?:experts?|delegations?|delegates?|representatives?))?"
                       + _EN_ADVERB
                       + " " + _SPEECH_EN + r"\b"
                       # "Which countries have already set up such units?": who did it,
                       # which a recommendation that States should does not say.
                       + r"|(?:^|[.;:!?,]\s*)(?:which|what) " + _STATES_EN
                       + r" (?:have|has|had) (?:already |actually |so far |ever )?"
                       r"(?:set up|established|created|built|launched|introduced|implemented|"
                       r"enacted|designated|invested in|funded|deployed|opened)\b", re.I)
_EN_SPEAKER = re.compile(r"(?:^|[.;:!?,]\s*)(?:(?:which|what) (?:speakers?|experts?|"
                         r"organi[sz]ations?)|who)" + _EN_ADVERB + " " + _SPEECH_EN
                         + r"\b"
                         # "Which international body should fund the units?"
                         r"|\b(?:which|what) (?:(?:international|multilateral|donor) "
                         r"(?:bod(?:y|ies)|organi[sz]ations?|agenc(?:y|ies)|institutions?)|donors?)"
                         r" (?:should|would|will|is to|are to|must|could) (?:\w+ )?"
                         r"(?:fund|finance|pay for|bankroll|sponsor)\b"
                         # "Which (specific) providers were named as refusing …?"
                         # "Which specific tech companies, e.g. Google or Meta, were named …?"
                         r"|\b(?:which|what) (?:(?P<specific>specific |particular ))?"
                         r"(?:(?:internet|tech|technology|social media|telecom|online|digital) )?"
                         r"(?:service providers|providers|companies|firms|platforms|businesses|"
                         r"corporations)(?:,[^,?]{0,60},| ?\([^)]{0,60}\))? (?:were|was|are|is|"
                         r"have been|has been) (?:named|singled "
                         r"out|(?(specific)(?:mentioned|listed|identified|cited)|(?!x)x))\b",
                         re.I)

# Chinese. A question word right after 向/对/给/与/跟 names a recipient, not a speaker.
_SPEECH_ZH = (r"(?:提出|提议|建议|主张|认为|指出|表示|呼吁|反对|支持|投票|赞成|提交|担任主席"
              r"|主持|欢迎|强调)")
_EVENT_ZH = (r"(?:举行|召开|开始|开展|结束|完成|通过|生效|提交|届满|到期|开幕|闭幕|成立|设立|签署|"
             r"批准|发布|公布|表决)")
_ZH_TIME = re.compile(rf"(?:何时|什么时候|什么时间)[^，,？?]{{0,10}}?{_EVENT_ZH}"
                      r"|哪一?年|哪个月|几月|何年|截止日期")
_ZH_DATE = re.compile(r"哪一?天|几月几日|几号|什么日期|哪个日子")
_ZH_PLACE = re.compile(r"(?:在哪里|在哪儿|在何地|在什么地方|在哪个城市|在哪座城市)(?:举行|召开|开会"
                       r"|举办|开幕)|(?:哪个|哪座|什么)城市|(?:位于|总部在|总部设在)(?:哪里|哪儿|何地|"
                       r"什么地方)")
# "报告有没有举出勒索软件攻击的具体案例？", "Does the report cite any real-world cases of
# …?": an actual case or incident, which a passage gives as one ("案例", "a case
# study"); not a kind of case ("在涉及恐怖主义的案件中", "in what specific cases should
# States assist each other?") nor an example of a topic or principle, which any list gives.
# A case as a word, in question and passage alike: 个案, not inside 一个案件 or 每个案件.
_CASE_ZH = r"案例|(?<![一每哪这那某各几两整])个案(?!件)"
_ZH_CASE = re.compile(rf"{_CASE_ZH}"
                      r"|(?:真实|典型|实际|现实)的?(?:网络犯罪)?(?:案件|事件)(?!类型|种类|中)"
                      # "报告点名了哪些具体的网络攻击事件？"
                      r"|(?:哪些|哪一?起|哪几起)具体的?(?=[^的])[^，,？?类种]{1,12}?(?:攻击|入侵|泄露)事件"
                      r"(?!类型|种类)")
_EN_CASE = re.compile(r"\bcase stud(?:y|ies)\b|(?<!\bin )\b(?:real|actual|real-world|documented|"
                      r"notable|high-profile|concrete) (?:cases?|incidents?)\b"
                      # "Which specific state-sponsored attacks did the report cite?"
                      r"|\b(?:which|what) (?:specific|particular|actual|named) "
                      # A kind of attack named ("ransomware", "cyber"), not attacks alone.
                      r"(?:(?:(?!(?:kinds?|types?|forms?|sorts?|categories|category)\b)[\w-]+ )"
                      r"{1,2}?[\w-]*?|[\w-]+?)(?:attacks|incidents|breaches)\b[^?]{0,30}?"
                      r"\b(?:cite|cited|mention|mentioned|name|named|give|gave|list|listed|"
                      r"describe|described|refer|referred)\b"
                      r"|\bexamples? of (?:an? )?(?:[\w-]+ ){0,2}?(?:cases?|incidents?|attacks?|"
                      r"prosecutions?)\b(?! (?:in which|where|when)\b)", re.I)
# "提出请求时需要准备哪些材料？", "What documents must accompany a request?": the papers a
# request or procedure requires, which a passage names ("材料", "文件", "forms") if it
# gives them; not what a body should submit ("专家组需要提交什么材料？" is its
# recommendations) or consult ("拟订新公约需要参考哪些文件？").
_PROCEDURE = (r"请求|申请|报案|手续|流程|程序|办理|\brequests?\b|\bapplications?\b|\bapply"
              r"|\bprocedure")
_ZH_DOCUMENTS = re.compile(rf"(?s)^(?=.*(?:{_PROCEDURE})).*?"
                           r"(?:准备|提交|提供|附上|附带|递交|需要|携带)"
                           r"[^，,？?、]{0,4}?(?:哪些|什么|何种)(?:材料|文件|资料|证明|表格|手续)")
_EN_DOCUMENTS = re.compile(rf"(?s)^(?=.*(?:{_PROCEDURE}))"
                           r".*?\b(?:what|which) (?:supporting )?(?:documents|documentation|"
                           r"paperwork)\b[^?]{0,40}?\b(?:needs?|needed|required?|accompany|"
                           r"submit(?:ted)?|attach(?:ed)?|prepared?|include[ds]?)\b", re.I)
# "……中心设在哪里？": where a body sits, which may be a city or the body it sits within
# ("在……中央机关内部设立单独的打击网络犯罪单位").
_ZH_SEAT = re.compile(r"设(?:在|于)(?:哪里|哪儿|哪|何地|何处|什么地方)")
_ZH_DURATION = re.compile(r"(?<!已有)(?<!已经)(?:多长时间|多久|多长的?(?:期限|期间|时间))(?!了|来)"
                          # "答复请求的最长时限是多少？", not the mandate's "最长期限"
                          r"|(?:答复|回复|处理|响应|执行|办理)[^，,？?]{0,12}?(?:最长|最短)的?"
                          r"(?:时限|期限)|(?:最长|最短)的?(?:答复|回复|处理|响应|执行|办理)(?:时限|期限)"
                          r"|(?<![这近哪去月])(?<!过去)(?:多少|几)个?(?:工作)?(?:年|个月|天|日|周|小时)"
                          r"(?!来)")
_COUNTED_ZH = (r"(?:名|位|个?人|个?国家|个?会员国|个?缔约国|个?缔约方|国(?![际内外])|次|票|届"
               r"|个?组织|个?代表团|个?成员|个?观察员"
               # Statistics, counted with a measure word: "多少起网络犯罪案件", "多少项请求".
               r"|(?:个|项|起|件|宗|份|例)[^，,？?的]{0,8}?(?:请求|案件|案例|申请|受害者|被害人))")
# "How long must the committee wait?", "要等多久": answered by when the wait ends, too.
_UNTIL_CUE = re.compile(r"(?i:\bhow long\b[^?]{0,60}?\b(?:wait|last|continue|remain|go on|run|"
                        r"hold off)\b)"
                        r"|(?i:\b(?:deadline|time limit|time ?frame)\b)"
                        r"|(?:等|持续|延续|继续)[^，,？?]{0,4}(?:多久|多长时间)|(?:多久|多长时间)才")
_ZH_QUANTITY = re.compile(rf"多少{_COUNTED_ZH}|(?<![哪这那近])几{_COUNTED_ZH}"
                          # "……案件每年增长了多少？": a rate or amount of change.
                          r"|(?:增长|增加|减少|下降|上升|提高)了?(?:多少|几成|百分之几)")
_ZH_MONEY = re.compile(r"(?:预算|经费|费用|资金|成本|拨款|开支|花费|金额)[^，,？?]{0,6}?"
                       r"(?:是|有|为|需要|要)?多少|多少(?:钱|资金|经费|预算|费用|经济损失)"
                       r"|(?:经济)?损失[^，,？?]{0,4}?(?:是|有|为|达|了)?(?:多少|多大)"
                       r"|(?:金额|数额)(?:是|有|为)?(?:多少|多大)|投入多少|多少(?:资源|投资|投入)")
_ZH_STATE = re.compile(rf"(?<![向对给与跟])(?:哪个|哪些|哪一?|什么)(?:国家|会员国|代表团|政府)"
                       rf"(?:的?(?:代表团?|专家))?(?:在会上|曾|最先|首先|率先|最早)?(?:最|更)?"
                       rf"(?:坚决|明确|强烈|积极|公开)?地?{_SPEECH_ZH}"
                       # "主张……的是哪些国家的代表团？"
                       rf"|{_SPEECH_ZH}[^，,？?]*的是(?:哪个|哪些|哪一?|什么)(?:国家|会员国|"
                       rf"代表团|政府)")
# Which companies were named: 点名 always, 提到 or 列出 only of "specific" ones.
# A kind of company ("科技公司") may come between.
_COMPANIES_ZH = (r"(?:哪些|哪一?家|哪几家|哪个)(?P<specific>具体的?)?[\u4e00-\u9fff]{0,5}?"
                 r"(?:公司|企业|服务供应商|服务提供商|平台)被?")
_ZH_SPEAKER = re.compile(rf"(?<![向对给与跟])(?:(?:哪个|哪些|什么)(?:组织|机构|人)|谁)"
                         rf"(?:在会上|曾|最先|首先)?{_SPEECH_ZH}|由谁(?:担任主席|主持)"
                         # "……单位应由哪个国际机构出资？": a body that pays, named.
                         r"|由(?:哪个|哪些|哪一?家|什么)(?:国际|国际性|多边)(?:组织|机构)"
                         r"[^，,？?]{0,4}?(?:出资|资助|提供资金|供资|拨款|买单|承担费用)"
                         rf"|{_COMPANIES_ZH}(?:点名|点出|(?(specific)(?:提到|列出)|(?!x)x))")
# 应 as "should", not in 供应商, 应对, 相应, 响应, 适应, 反应, 应用, 答应.
_SHOULD_ZH = r"(?<![供相响适反答])应(?![对用])"
# "Which countries have ratified the Budapest Convention?", "Please list the States that
# signed it": answered by a list of them, introduced as what the question says they did.
_LISTED_EN = (r"(?:countries|states|member states|nations|governments|delegations|parties|"
              r"signatories|organi[sz]ations)")
_EN_LIST = re.compile(r"\b(?:list|name|enumerate)(?: all)?(?: of)? (?:the )?" + _LISTED_EN
                      + r" (?:that|which|who)\b"
                      r"|\b(?:which|what) " + _LISTED_EN + r" (?:have |has |had )?(?:already |"
                      r"so far |now |since )?(?:ratified|signed|acceded|are parties|"
                      r"became parties|have become parties)\b", re.I)
_ZH_LIST = re.compile(r"(?:哪些|哪几个|哪几)(?:国家|会员国|政府(?!间)|组织)[^，,？?]{0,8}?"
                      r"(?:批准|加入|签署)了?(?:《|[^，,？?的《]{0,10}?(?:公约|条约|议定书|协定)"
                      r"(?!的))|(?:哪些|哪几个|哪几)(?:国家|会员国)[^，,？?]{0,8}?是缔约"
                      # "列出作了发言的政府间组织": the States or bodies are what is listed.
                      r"|(?:列出|列举)[^，,？?]{0,12}?(?:国家|会员国|缔约国|组织)(?:名单|名称)?$")
# "Did the Commission finally decide to extend the mandate?" asks what was decided in the
# end; a report of proposals ("有建议称……应延长") does not say. With a verb of deciding right
# after the adverb ("which committee will ultimately draft the convention established
# by …" asks no such thing), and not asked as what *should* be decided ("ultimately,
# what should the Commission decide?" asks for the proposals).
_DECIDED_EN = (r"(?:decide|decided|adopt|adopted|approve|approved|agree|agreed|extend|extended|"
               r"accept|accepted|reject|rejected|establish|established|grant|granted|renew|"
               r"renewed)")
_EN_OUTCOME = re.compile(r"^(?![^?]*\b(?:should|ought to|would)\b)[^?]*?\b(?:(?:finally|"
                         r"eventually|ultimately|in the end),? (?:\w+ )?" + _DECIDED_EN
                         + r"|end(?:ed)? up (?:deciding|adopting|approving|agreeing|extending|"
                         r"accepting|rejecting))\b", re.I)
_ZH_OUTCOME = re.compile(rf"^(?!.*(?:{_SHOULD_ZH}|建议|希望|主张))"
                         r".*?(?:最终|最后|后来)(?:是否|有没有|到底)?"
                         r"(?:决定|通过|批准|同意|采纳|延长|接受|拒绝|核准)")
# "Was the report adopted by consensus?": how a decision was taken, asked of one taken;
# "should the negotiations be decided by consensus?" asks for a proposal.
# Verbs, not nouns: "Were these recommendations adopted by consensus?" asks how.
_EN_MANNER = re.compile(r"^\s*(?:was|were|did|has|have|had)\b(?![^?]*\b(?:suggest(?:s|ed|ing)?\b"
                        r"|propos(?:e|es|ed|ing)\b|recommend(?:s|ed|ing)?\b|call|want|wish|hope"
                        r"|urge|should|would|argue|favou?r)\w*)"
                        r"[^?]{0,60}?\b(?:adopt|adopted|approve|approved|pass|passed|decide|"
                        r"decided|agree|agreed)\b[^?]{0,40}?\b(?:by consensus|unanimously|by "
                        r"(?:a )?(?:recorded )?vote|without (?:a )?vote|by acclamation)\b", re.I)
_ZH_MANNER = re.compile(rf"^(?!.*(?:{_SHOULD_ZH}|希望|主张|建议|提议|呼吁|要求|认为))"
                        r".*?(?:协商一致|一致|全票|鼓掌|不经表决|经表决)(?:的?方式)?(?:通过|批准|核准)")
# "Where is Europol's cybercrime centre based?", "Where should the unit be located?" (see
# _ZH_SEAT). An English question's subject is not looked for in a Chinese passage, so
# only one asking where something *should* sit may be answered by the body it sits in.
_EN_SEAT = re.compile(r"\bwhere (?:is|are|was|were|would|should) (?:the |its |their |this |"
                      r"that )?(?:[\w'’-]+ ){1,6}?(?:be )?(?:based|seated|located|headquartered|"
                      r"housed|situated)\b", re.I)
# "What penalty should providers face?": answered by a passage that names a penalty, a
# sanction or being held to account.
_EN_PENALTY = re.compile(r"\bwhat (?:kind of |sort of |type of |(?:is|are|was|were) the )?"
                         r"(?:penalt(?:y|ies)|sanctions?|punishments?|fines?|prison sentences?)\b"
                         r"|\b(?:specific|particular|concrete|minimum|maximum|exact) (?:(?:prison|"
                         r"jail|criminal) (?:sentences?|terms?)|penalt(?:y|ies)|sanctions?|"
                         r"punishments?|fines?)\b"
                         r"|\bhow (?:many years|long)\b[^?]{0,40}?\b(?:prison|jail|imprison\w*)\b"
                         r"|\bhow (?:much|big|large|"
                         r"heavy) (?:a |is the |was the )?(?:fine|penalty)\b|\bhow (?:should|"
                         r"would|will|are|were|is|was|can|could) [^?]{0,60}\bpunished\b", re.I)
_ZH_PENALTY = re.compile(r"(?:什么|何种|哪些|怎样的|什么样的)(?:处罚|惩罚|制裁|罚则|刑罚|罚款)"
                         r"|罚款多少|(?:判处|判)(?:多少|几)年|如何(?:处罚|惩罚|制裁)"
                         r"|多长的?刑期|刑期(?:是|为|有)?多长|多少年的?(?:刑期|徒刑|监禁)"
                         r"|(?:具体|什么样?的?|哪些|怎样的)(?:刑期|量刑)|量刑标准")
# "What steps must a State take to accede to the Budapest Convention?": how an instrument
# is joined, which a passage that only names the instrument does not say.
_EN_ACCESSION = re.compile(r"\b(?i:how|what (?:steps|procedures?|process|requirements|"
                           r"conditions))\b[^?]{0,60}?\b(?i:accede|accession|ratify|ratification|"
                           r"become (?:a )?part(?:y|ies)|join)\b(?: to| in)?(?: the)? "
                           r"(?!(?:[\w-]+ ){0,4}?(?i:work|drafting|negotiat\w*|talks|process|"
                           r"efforts)\b)(?:[\w-]+ ){0,5}?(?i:convention|treaty|protocol|"
                           r"agreement|charter|covenant)\b")
_ZH_ACCESSION = re.compile(r"(?:如何|怎样|怎么|什么程序|哪些步骤|什么步骤|什么条件|哪些条件"
                           r"|哪些程序)[^，,？?]{0,10}?(?:加入|批准|成为)(?:《[^》]+》"
                           r"|[^，,？?的《]{0,12}?(?:公约|条约|议定书|协定))"
                           r"(?!的|谈判|工作|拟订|起草|进程)")
# "那位观察员叫什么名字？": a person's name, which a report naming only the body a speaker
# came from does not give.
_EN_PERSON = re.compile(r"\bwhat (?:is|was) (?:his|her|their|(?:the )?(?:observer|representative|"
                        r"expert|speaker|delegate|chair|official)['’]s) (?:full )?name\b"
                        # "What is the name of the Beijing Normal University observer?"
                        # Only names may come between: not "the name of the university
                        # (whose) observer", "the names of the States whose experts spoke".
                        r"|\bwhat (?:is|was|are|were) the names? of (?:the |that |this )?"
                        r"(?:(?!(?:that|which|who|whose|of|by|as|from|in|at|to|for|with|and|or|"
                        r"the|an?)\b)[\w-]+ ){0,4}?(?:observer|representative|expert|speaker|"
                        r"delegate|person|official)s?\b(?=\s*\?| who\b| that\b| at\b| from\b|"
                        r" in\b| during\b|,|$)"
                        # "Who is the Executive Director of UNODC?": the holder of an office.
                        r"|\bwho (?:is|was|will be) (?:the |its )?"
                        r"(?:current |former |new |present )?(?:(?:UN|[A-Z]{2,}['’]s) )?"
                        r"(?:executive director|director(?:-general)?|secretary-general|"
                        r"under-secretary-general|president|head|chief|minister|ambassador|"
                        r"commissioner|chairperson|chairman|chairwoman)"
                        r"(?= of\b| at\b| for\b|\s*\?|\s*$)", re.I)
# Offices whose holder a question may ask for by name.
_OFFICES_ZH = r"(?:执行主任|主任|秘书长|总干事|局长|部长|大使|署长)"
_ZH_PERSON = re.compile(r"(?:观察员|代表(?!团)|专家(?!组|委员会)|主席|发言者|发言人|官员|人|位"
                        r"|他|她)[^，,？?]{0,4}?(?:叫什么(?:名字)?|的?(?:名字|姓名)(?:是什么|叫什么)?)"
                        rf"|{_OFFICES_ZH}(?:是谁|叫什么|是哪位)"
                        rf"|谁是[^，,？?]{{0,20}}{_OFFICES_ZH}")
# "报告对“网络犯罪”一词是如何下定义的？", "How does the report define cybercrime?": a
# definition, which a passage that only uses the term does not give.
# Not "how does the report define the role of central authorities" (describe), nor
# 界定 of a responsibility or a territory (determine).
_EN_DEFINITION = re.compile(r"\bhow (?:does|do|did|is|are|was|were) [^?]{0,60}?\bdefined?\b"
                            r"|\b(?:what|which) (?:is|was|are) (?:the |its |their )?(?:[\w-]+ )?"
                            r"definitions? of\b|\bdefinition of\b[^?]{0,60}\b(?:give|use|"
                            r"adopt|offer|provide)|\b(?:give|gives|provide|provides|offer|offers|"
                            r"contain|contains|include|includes) (?:a |any |an? \w+ )?definitions? "
                            r"of\b|\bwhat (?:does|do) [\"“'‘][^\"”'’]{1,40}[\"”'’] mean\b", re.I)
_ZH_DEFINITION = re.compile(r"(?:如何|怎样|怎么|怎么样)(?:下|作|进行)?(?:了)?定义"
                            r"|(?:下|作|给出?)了?(?:什么|怎样|哪些|何种)(?:样的)?定义|定义(?:是什么|为何|是怎样|如何)"
                            r"|(?:如何|怎样|怎么)界定|(?:有没有|是否)(?:给出|下|作)了?定义"
                            r"|[“\"][^”\"]{1,12}[”\"](?:一词|这个词|这一概念)?(?:是指|指的是)什么")
_DEFINED_ASPECT = re.compile(r"(?i)\b(?:roles?|functions?|scope|responsibilit\w*|priorit\w*|work|"
                             r"mandates?|tasks?|purposes?|relationships?|approach\w*|content|dut(?:y|ies)|"
                             r"obligations?|procedures?|process\w*|framework|criteria|territor\w*)\b"
                             r"|作用|职能|职责|责任|范围|工作|任务|内容|领土|义务|程序|关系|优先")
# "What was the recorded vote on resolution 74/247?", "投票结果如何？": a count of votes.
_EN_VOTES = re.compile(r"\bwhat (?:was|were|is) the (?:recorded |final |exact )?(?:vote|votes|"
                       r"voting|vote count|tally|result of the vote|outcome of the vote)\b"
                       r"(?! (?:on|about) whether\b)(?!\s+(?:procedures?|methods?|rules?|"
                       r"requirements?|systems?|arrangements?|of confidence|thresholds?|"
                       r"majorit\w*)\b)|\bvote (?:count|tally|breakdown)\b"
                       r"|\bhow did (?:the )?(?:member )?(?:states|countries|delegations|members|"
                       r"governments) vote\b", re.I)
_ZH_VOTES = re.compile(rf"^(?!.*(?:{_SHOULD_ZH}|建议|如何处理))"
                       r"(?:.*(?:表决|投票)(?:结果|票数)|.*票数|.*得票|.*赞成票和反对票)")
# "Who spoke on behalf of INTERPOL?", "代表国际刑警组织发言的是谁？": the body is named,
# so a person is asked for.
# Not for a class of bodies ("who spoke on behalf of intergovernmental organizations?"),
# which the list of them answers.
_CLASS_OF_BODIES_EN = (r"(?!(?:the |all |these |those )?(?:[\w-]+ ){0,2}?(?:organi[sz]ations|"
                       r"states|countries|governments|universities|academia|civil society|"
                       r"delegations|bodies|institutions|observers|experts|members|groups)\b)")
_EN_ON_BEHALF = re.compile(r"\bwho (?:spoke|speaks|made (?:the|a|its|their) statement|delivered "
                           r"(?:the|a|its|their) statement|took the floor|was present|attended) "
                           r"on behalf of " + _CLASS_OF_BODIES_EN
                           + r"|\bwho represented " + _CLASS_OF_BODIES_EN
                           + r"|\bwho (?:was|is) (?:the )?(?:representative|delegate|observer|"
                           r"speaker|head of (?:the )?delegation) (?:of|for|from) "
                           + _CLASS_OF_BODIES_EN
                           + r"|\bwho (?:was|is) [A-Z][\w -]{1,40}['’]s (?:representative|"
                           r"delegate|head of delegation)\b"
                           r"|\bwho (?:was|is|were) (?:the )?heads? of (?:the )?(?:[\w-]+ ){0,3}?"
                           r"delegations?\b", re.I)
_CLASS_OF_BODIES_ZH = r"(?!会员国|各国|国家|政府间组织|国际组织|这些|哪些|各)"
_ZH_ON_BEHALF = re.compile(rf"谁代表{_CLASS_OF_BODIES_ZH}[^，,？?]{{1,20}}?(?:发言|出席|讲话|$)"
                           rf"|代表{_CLASS_OF_BODIES_ZH}[^，,？?]{{1,20}}?(?:发言|出席|讲话)"
                           r"的(?:是|人是)谁|(?<!政府间组织)(?<!国际组织)(?<!会员国)(?<!各国)(?<!国家)"
                           r"(?<!派出)(?:派出)?的(?:代表|观察员|发言人)(?:是谁|叫什么)"
                           r"|团长(?:是谁|叫什么|是哪位)")
_ZH_TYPES: list[tuple[str, re.Pattern[str]]] = [
    (MONEY, _ZH_MONEY), (DURATION, _ZH_DURATION), (QUANTITY, _ZH_QUANTITY),
    (TIME, _ZH_TIME), (DATE, _ZH_DATE), (PLACE, _ZH_PLACE), (STATE, _ZH_STATE),
    (SPEAKER, _ZH_SPEAKER), (LIST, _ZH_LIST), (OUTCOME, _ZH_OUTCOME), (MANNER, _ZH_MANNER),
    (PENALTY, _ZH_PENALTY), (ACCESSION, _ZH_ACCESSION), (PERSON, _ZH_PERSON),
    (PERSON, _ZH_ON_BEHALF), (DEFINITION, _ZH_DEFINITION), (VOTES, _ZH_VOTES),
    (SEAT, _ZH_SEAT), (CASE, _ZH_CASE), (DOCUMENTS, _ZH_DOCUMENTS),
]
_EN_TYPES: list[tuple[str, re.Pattern[str]]] = [
    (MONEY, _EN_MONEY), (DURATION, _EN_DURATION), (QUANTITY, _EN_QUANTITY),
    (TIME, _EN_TIME), (DATE, _EN_DATE), (PLACE, _EN_PLACE), (STATE, _EN_STATE),
    (SPEAKER, _EN_SPEAKER), (LIST, _EN_LIST), (OUTCOME, _EN_OUTCOME), (MANNER, _EN_MANNER),
    (PENALTY, _EN_PENALTY), (ACCESSION, _EN_ACCESSION), (PERSON, _EN_PERSON),
    (PERSON, _EN_ON_BEHALF), (DEFINITION, _EN_DEFINITION), (VOTES, _EN_VOTES),
    (SEAT, _EN_SEAT), (CASE, _EN_CASE), (DOCUMENTS, _EN_DOCUMENTS),
]

# A passage saying a State joins, joined or is party to a treaty: evidence for the
# ratification event, the "ratified" list predicate and the accession type alike.
_JOINS_TREATY = r"批准|加入|缔约|\bratif|\baccede|\baccession|\bjoin|become (?:a )?part"
# The event a "when" question asks the date of, and what a passage must say, in the
# sentence that gives the date, to be about that event: "when will the next session be
# held?" is not answered by "专家组的工作没有必要延续到 2021 年以后", a year given for
# something else. (name, cue in the question, evidence in the passage)
_EVENTS: list[tuple[str, re.Pattern[str], re.Pattern[str]]] = [
    (name, re.compile(cue, re.I), re.compile(evidence, re.I)) for name, cue, evidence in [
        ("begin", r"\b(?:begin|began|begun|beginning|start|started|starting|commence[ds]?|"
                  r"launch(?:ed)?)\b|开始|启动|着手|开展",
         r"开始|启动|着手|开展|以后|之后|\bbegin|\bbegan|\bbegun|\bstart|\bcommenc|\blaunch"
         r"|\bfrom\b|\bafter\b|\bbeyond\b"),
        # Not "hold off" or "hold back", which wait.
        ("meet", r"\b(?:hold|holds|held|holding)\b(?! (?:off|back)\b)"
                 r"|\b(?:meet|meets|met|convene[ds]?|take place|takes place|"
                 r"took place|sessions?|meetings?)\b|举行|召开|开会|举办|开幕|闭幕|会议|届会",
         r"举行|召开|开会|举办|开幕|闭幕|会议|届会|\bhold|\bheld\b|\bmeet|\bmet\b|\bconven|"
         r"\bsessions?\b|\btakes? place|\btook place"),
        ("end", r"\b(?:end|ends|ended|finish(?:es|ed)?|finali[sz](?:e|es|ed|ing)|conclude[ds]?|"
                r"complete[ds]?|"
                r"wrap(?:s|ped)? up|expire[ds]?)\b|结束|完成|完结|届满|到期|截止|终止",
         r"结束|完成|完结|届满|到期|截止|终止|为止|\bend\b|\bended\b|\bfinish|\bconclu|"
         r"\bcomplet|\bexpir|\buntil\b"),
        # The end of a term or of a body's work may be said as how far it goes on
        # ("专家组的工作没有必要延续到 2021 年以后"); the end of a negotiation may not.
        ("term ends", r"(?:\b(?:mandate|work|term)\b[^?]{0,40}?\b(?:end|ends|ended|finish|"
                      r"finishes|expire|expires|conclude|concludes|run out|stop)\b|\b(?:end|"
                      r"finish|expire|conclude|stop)\w*\b[^?]{0,30}?\b(?:mandate|work|term)\b)"
                      r"|(?:任务|工作|期限)[^，,？?]{0,12}?(?:结束|完成|届满|到期|截止|终止)"
                      r"|(?:结束|完成|届满|到期|截止|终止)[^，,？?]{0,6}?(?:任务|工作|期限)",
         r"延续|延长|持续|以后|之后|为止|\bbeyond\b|\bafter\b|\buntil\b|\bextend|\bcontinu|"
         r"\bruns? (?:to|until|through)\b"),
        ("submit", r"\bsubmit(?:s|ted)?\b|提交|递交", r"提交|递交|\bsubmi"),
        ("adopt", r"\b(?:adopt(?:s|ed|ing)?|approv(?:e[ds]?|ing)|pass(?:es|ed|ing)?)\b|通过|核准",
         r"通过|核准|\badopt|\bapprov|\bpassed\b"),
        ("force", r"\binto (?:force|effect)\b|\b(?:takes?|took|taking) effect\b"
                  r"|\bbecomes? effective\b|生效", r"生效|\binto force\b|\beffect\b"),
        ("sign", r"\bsign(?:s|ed|ing)?\b|\bsignature\b|签署|签字", r"签署|签字|\bsign"),
        ("ratify", r"\bratif\w*|\bacced\w*|\baccession\b|\bjoin(?:s|ed)?\b|批准|加入",
         _JOINS_TREATY),
        ("establish", r"\b(?:establish(?:es|ed|ing)?|set(?:ting)? up|creat(?:e[ds]?|ing)|founded)\b"
                      r"|成立|设立|建立|创建",
         r"成立|设立|建立|创建|\bestablish|\bset up|\bcreat|\bfounded\b"),
        ("decide", r"\bdecid(?:e[ds]?|ing)\b|\bdecision\b|决定", r"决定|决议|\bdecid|\bdecision"
                   r"|\bresolution"),
        ("extend", r"\bextend(?:s|ed|ing)?\b|\bprolong\w*|\brenew\w*|延长|续延",
         r"延长|延续|续延|\bextend|\bprolong|\brenew"),
        ("vote", r"\bvote[ds]?\b|\bvoting\b|表决|投票", r"表决|投票|\bvot"),
        ("publish", r"\b(?:publish(?:es|ed)?|issue[ds]?|release[ds]?)\b|发布|公布|印发",
         r"发布|公布|印发|\bpublish|\bissue|\breleas"),
    ]
]
_EVENT_EVIDENCE = {name: evidence for name, _, evidence in _EVENTS}
# A decision stated as taken, in a sentence that proposes or argues nothing, or referred
# to as a fact ("根据大会第 74/247 号决议设立的……委员会" inside a proposal).
_DECISION = re.compile(r"决定|通过|批准|同意|核准|设立|成立|\bdecid|\bdecision|\badopt|\bapprov|"
                       r"\bagreed\b|\bestablish", re.I)
_PROPOSAL = re.compile(rf"建议|呼吁|提议|主张|认为|希望|{_SHOULD_ZH}|\bshould\b"
                       r"|\bsuggest|\bpropos|\bcall(?:s|ed)? (?:for|on|upon)\b|\burge|\brecommend"
                       r"|\bmust\b", re.I)
_DECIDED_FACT = re.compile(r"(?:根据|依照|按照|依据)[^，。；]{0,30}?(?:决议|决定)(?:所)?"
                           r"(?:设立|成立|建立|通过)的|\b(?:established|set up|created) (?:under|"
                           r"by|pursuant to) (?:General Assembly |Council )?"
                           r"(?:resolution|decision)", re.I)
_MANNER = re.compile(r"协商一致|一致|全票|表决|投票|鼓掌|consensus|unanim|\bvot|acclamation",
                     re.I)
_PENALTY = re.compile(r"处罚|惩罚|罚款|罚金|制裁|刑罚|刑期|判处|监禁|追究|问责|谴责|penalt|"
                      r"sanction|punish|\bfines?\b|imprison|prison|accountab|liable|liability|condemn",
                      re.I)
_PRISON_CUE = re.compile(r"(?i)\b(?:prison|jail|imprisonment|custodial)\b|刑期|徒刑|监禁|坐牢")
_PRISON = re.compile(r"(?i)刑期|徒刑|监禁|判处|拘役|\bimprison|\bprison\b|\bjail|\bsentenced\b")
# A date after which something may only begin: "该委员会应在专家组完成其建议并于 2021 年
# 将建议提交……之后，方可开始开展工作". It is when the condition's subject (专家组) is to
# finish its object (其建议), and the earliest the main clause's subject may begin: it
# answers when the group must finish or submit, not when the committee must.
_START_AFTER = re.compile(
    r"(?P<main>[^，,。；]{0,20}?)应?在(?P<subject>[^，,。；在]{2,12}?)(?:完成|提交|结束|通过|作出)"
    r"(?P<object>[^。；]{0,30}?)"
    r"(?:19|20)\d\d\s*年[^。；，,]{0,40}?(?:以后|之后)[，,]?\s*(?:方可|才能?|方能|再)"
    r"(?=[^，,。；]{0,4}?(?:开始|启动|着手|开展))"
    r"|\b(?P<main_en>[\w -]{0,40}?)\b(?:should|shall|may|can|could|would) (?:\w+ ){0,2}?"
    r"(?:begin|start|commence)\w* (?:\w+ ){0,3}?"
    r"only (?:after|once) (?:the )?(?P<subject_en>[\w -]{2,40}?) (?:has |have |had )?"
    r"(?:finished|completed|submitted|concluded|adopted)\b(?P<object_en>[^.;]{0,80}?)"
    r"\b(?:19|20)\d\d\b", re.I)
# The events a question asks the end of: when something is finished, submitted, adopted.
_FINISH_EVENTS = frozenset({"end", "term ends", "submit", "adopt"})
_EVENT_WORD = re.compile(r"完成|提交|结束|通过|作出|并于|将")
# A question that waits for something, or asks what must happen before something may
# ("特设委员会要等到哪一年……才能开始？", "before the committee can take over"), asks about the
# condition, which the date answers.
_WAITS = re.compile(r"等到|等待|要等|须等|需等|待|才|之前|之后|以后"
                    r"|(?i:\b(?:before|until|till|wait\w*|so (?:that|the)|in order|proceed\w*|"
                    r"once|after|take (?:up|over)|takes (?:up|over)|get going|act)\b)")
# A body something is sent or given to: "向委员会提交成果", "提交委员会".
_TO_A_BODY_ZH = re.compile(r"(?:向|给|交|到|至|提交|递交|交给)$")
# Words of a subject that are not its head ("该委员会": 委员会, not 该).
_NOT_A_HEAD = re.compile(r"该|此|这|其|the$|this$|that$|its$")
# The English UN name of a Chinese head word, where the dictionary's gloss is ambiguous
# (委员会 is both "committee" and "commission").
_ENGLISH_HEADS = {"委员会": "committee"}
# A committee's name is not its members: "特设政府间专家委员会" and "the committee of
# experts" mention no expert group.
_COMMITTEE_OF_EXPERTS = re.compile(r"专家(?=委员会)|(?i:(?<=\bcommittee) of experts\b)")
# A person named: jieba's person tags (not its transliteration tag, which it gives
# 伊拉克 and 玻利瓦尔), a name with a title, or "Mr. Smith".
_PERSON_TAGS = frozenset({"nr", "nrfg"})
_PERSON_TEXT = re.compile(r"[\u4e00-\u9fff·]{2,12}(?:先生|女士|博士|教授|大使|法官)"
                          r"|\b(?:Mr|Ms|Mrs|Dr|Prof|Professor|Judge|Ambassador)\.? [A-Z][a-z]+")
_ACCESSION = re.compile(_JOINS_TREATY, re.I)
# A definition: "……是指……", "…… means ……", "为本公约的目的，……".
_DEFINITION_TEXT = re.compile(r"定义|界定|系指|是指|指的是|意指|\bdefin|\bmeans\b|\brefers? to\b"
                              r"|\bfor the purposes? of\b", re.I)
# A question about what is recommended, not about what is.
_RECOMMENDED = re.compile(rf"{_SHOULD_ZH}|建议|推荐|\bshould\b|\brecommend|\bsuppos|\bpropos"
                          r"|\bsuggest|\bought\b", re.I)
# Where a body sits: a place, or the body it sits within.
_SEAT_TEXT = re.compile(r"内部|之内|设在|设于|位于|总部|\bwithin\b|\bbased in\b|\bheadquarter|"
                        r"\blocated\b|\bseat\b", re.I)
# A case given: a case study or a precedent ("可作为范例"); not "例如培训" or "for
# example", an example of anything.
_CASE_TEXT = re.compile(rf"{_CASE_ZH}|判例|范例|先例|\bcase stud|\bcase law\b|\bprecedents?\b",
                        re.I)
# Papers named: "所需材料", "the request form", "supporting documents".
_DOCUMENTS_TEXT = re.compile(r"材料|文件|资料|证明(?:文件|材料|书)|表格|手续|\bdocuments?\b"
                             r"|\bdocumentation\b|\bpaperwork\b|\b(?:request|application) forms?\b",
                             re.I)
# Votes counted: "以 79 票赞成、60 票反对", "by 79 votes to 60", "79 in favour".
_VOTES_TEXT = re.compile(r"\d+\s*票|(?:赞成|反对|弃权)\s*\d|\d+\s*(?:votes?\b|in favou?r\b|"
                         r"against\b|abstentions?\b)|\brecorded vote\b", re.I)
# What those in a list did, as a question about them says and as the words introducing
# the list must say: the attendance paragraph ("下列会员国的专家作了发言：……") lists who
# spoke, so it answers how many or which States spoke, not which are parties to a
# treaty or how many participants attended. (name, cue in the question, evidence)
_LIST_PREDICATES: list[tuple[str, re.Pattern[str], re.Pattern[str]]] = [
    (name, re.compile(cue, re.I), re.compile(evidence, re.I)) for name, cue, evidence in [
        ("spoke", r"\b(?:spoke|speak(?:s|ing)?|speakers?|statements?|(?:took|take|taken|"
                  r"taking) the floor|addressed|address(?:es)?|intervened|interventions?)\b"
                  r"|\b(?:participated|participate|took part|take part|taking part) in the "
                  r"(?:discussions?|debates?|deliberations)\b"
                  r"|发言|讲话|发了言|讲了话|致辞|(?:参加|参与)了?(?:讨论|辩论)",
         r"发言|讲话|致辞|statement|\bfloor\b|\bspoke|\bspeak|\baddress"),
        ("party", r"\bpart(?:y|ies) to\b|\bstates parties\b|缔约", r"缔约|\bpart(?:y|ies)\b"),
        ("ratified", r"\bratif\w*|\bacced\w*|\baccession\b|批准|加入(?!讨论|辩论|工作|谈判)",
         _JOINS_TREATY),
        ("signed", r"\bsign(?:ed|atories|atory)\b|签署|签字", r"签署|签字|\bsign"),
        ("voted", r"\bvot\w*|表决|投票|赞成票|反对票", r"表决|投票|\bvot"),
        ("attended", r"\battend\w*|\bparticipa\w*|\b(?:took|take|taking) part\b"
                     r"|出席|参加|参与|与会|参会",
         r"出席|参加|参与|与会|参会|\battend|\bparticipa|\btook part|\bpresent\b"),
    ]
]
_PREDICATE_EVIDENCE = {name: evidence for name, _, evidence in _LIST_PREDICATES}
# Sentence ends: Chinese and English punctuation, not an abbreviation ("e.g.", "No.").
_SENTENCE_END = re.compile(r"(?<=[。；;！？!?])|(?<=\.)(?<!e\.g\.)(?<!i\.e\.)(?<!\bNo\.)"
                           r"(?<!\bMr\.)(?<!\bMs\.)(?<!\bDr\.)(?<!\bMrs\.)(?<!\bart\.)"
                           r"(?<!\bres\.)(?<!\bvs\.)(?<!\bpara\.)(?<!\bArt\.)(?<!\bNos\.)"
                           r"(?<!\bNo\.)(?<!U\.N\.)\s+(?=[A-Z0-9\"“(])")

# "What was the EU's position …?", "中国专家对……持什么立场？": what a named party said.
# Expert-group reports record views without naming who held them; a passage answers such
# a question only if it attributes a statement to a named state, organisation or person.
_VIEW_NOUN = r"(?:position|stance|views?|opinions?|attitude)"
_EN_VIEW = [
    re.compile(r"(?P<name>[A-Z][\w-]*(?: (?:[A-Z][\w-]*|of|for|on|and|the))*)['’]s? "
               + _VIEW_NOUN + r"\b"),
    re.compile(_VIEW_NOUN + r" (?:did|does|has|had) (?:the )?(?P<name>[^?]{0,80}?) "
               r"(?:take|hold|adopt|express|have|state)\b"),
    re.compile(r"\b(?i:what)(?: \w+)? (?:did|does|has|had) (?:the )?(?P<name>[^?]{0,80}?) "
               r"(?:say|state|raise|argue|propose|stress|mention|suggest)\b"),
    re.compile(_VIEW_NOUN + r" of (?:the )?(?P<name>[A-Z][^?,]{0,60}?)(?= on\b| regarding\b|"
               r" about\b| towards?\b| concerning\b|\?|$)"),
    # "Why did Iran object to …?": the reasons a named party gave.
    re.compile(r"\b(?i:why) (?:did|does|do|has|had|would) (?:the )?(?P<name>[^?]{0,80}?) "
               r"(?:object|oppose|reject|support|propose|insist|argue|want|favou?r|resist|"
               r"call|push|prefer)\b"),
    # "Did the United States support using the Budapest Convention …?": whether a named
    # party took a side (not "Did Member States support …", no one in particular).
    # The party is a proper name alone, not a document's ("the Vienna experts",
    # "Recommendation 2", "the Preliminary Recommendations" are none).
    re.compile(r"(?:^|[.;:!?,]\s*)(?i:did|does|do|has|have|had) (?:the )?"
               r"(?P<name>[A-Z][\w-]*(?:(?: (?:of|and|the|for))? [A-Z][\w-]*){0,5})"
               + _EN_ADVERB + r" (?i:support|oppose|back|endorse|favou?r|object|reject|propose|"
               r"push|argue|agree|accept|welcome|insist|call)(?:s|ed|d|ing)?\b"),
]
_ZH_VIEW = re.compile(r"(?:支持|反对|赞成|同意)[^，,？?]*吗$"
                      r"|是否(?:支持|反对|赞成|同意|主张|提议|建议)"
                      r"|(?:什么|何种|何|怎样的?|哪些)(?:具体|主要|基本|明确)?的?"
                      r"(?:立场|态度|看法|观点|意见|主张)"
                      r"|(?:立场|态度|看法|观点)(?:是什么|如何)|(?:说|讲|谈)了些?(?:什么|哪些)"
                      r"|发言的?(?:主要|具体)?(?:内容|要点)"
                      r"|在发言中(?:具体|主要|明确)?(?:提出|谈到|表示|强调)了(?:什么|哪些)"
                      r"|为什么(?:反对|支持|赞成|主张|坚持)")
# "中国专家提出了哪些建议？": a named party's proposals, if a person or delegation of it is
# named ("2020 年维也纳专家组会议提出了哪些建议？" names a meeting, not a party).
_ZH_PROPOSALS_OF = re.compile(r"提出了?(?:哪些|什么|何种)(?:具体)?"
                              r"(?:建议|主张|意见|观点|看法|提议)"
                              # "中国专家在发言中具体主张新公约应包含哪些条款？"
                              r"|(?:主张|提议|建议)[^，,？?]{0,20}?(?:哪些|什么|何种)")
# An organisation named, which jieba may not tag as one ("国际刑事警察组织": 国际 / 刑事警察
# / 组织): not a kind of organisation ("国际组织", "政府间组织").
_NAMED_ORGANISATION_ZH = re.compile(r"(?:国际|欧洲|非洲|美洲|亚洲|世界|联合国)"
                                    r"(?!组织|间组织)(?:(?!的)[\u4e00-\u9fff]){1,10}?"
                                    r"(?:组织|联盟|办公室|论坛|中心|委员会)")
_PARTY_NOUN_ZH = re.compile(r"专家(?!组)|代表|观察员|政府|发言人")
# Where the topic of a view begins: "中国专家对/就/关于《布达佩斯公约》……".
_TOPIC_ZH = re.compile(r"对|就|关于|针对|围绕")
# Capitalised in UN English, yet no one in particular: "What did Member States say?"
_COLLECTIVE_EN = re.compile(
    r"\b(?:(?:the )?(?:United Nations|UN|Member States?|States? parties|States?|Governments?|"
    r"Delegations?|Parties|Experts?|(?i:Open-ended )?(?:Intergovernmental )?Expert Group|"
    r"(?:Expert|Working) Groups?|Groups?|Commission(?: on [A-Z]"
    r"[\w ]*?Justice)?|Committee|Ad Hoc Committee|General Assembly|Security Council|Council|"
    r"Secretariat|Secretary-General|Conference|Reports?|Speakers?|Participants?|Meeting|"
    r"Session|Chair|Cybercrime|UNODC|CCPCJ|IEG)|Some|Many|Several|Most|All|The|A|An|What|"
    r"Which|Who)\b"
)
# A subject that is a text or an event, not a party: "What does the UNODC report say?",
# "What position does the Budapest Convention hold?", "What did the Vienna meeting say?"
_NOT_A_PARTY_EN = re.compile(r"(?i)\b(?:convention|treaty|protocol|agreement|charter|covenant|"
                             r"report|document|draft|meeting|session|resolution|declaration|"
                             r"paragraph|text|recommendation|conclusion|list|section|addendum|"
                             r"annex|chapter|community)s?\b|\b(?:who|that|which)\b")
# Who a passage can name as having said something: a state (jieba tags states as places),
# an organisation or a person. These are tagged so, but in a UN text name no one.
_SPEAKER_TAGS = frozenset({"ns", "nt", "nr", "nrt", "nrfg"})
_STATE_TAGS = frozenset({"ns"})
_NOT_SPEAKERS = frozenset(
    "联合国 国家机关 主管部门 中央机关 城市 国家 地区 各国 全球 世界 国际 首都 境外 国内 国外 "
    "海外 当地 本国 外国 他国 该国 亚洲 欧洲 非洲 美洲 拉丁美洲 拉美 北美 南美 大洋洲 亚太 中东 "
    "加勒比".split()
)
# Where and when something was said is not who said it: "维也纳会议上一些国家为什么反对……",
# "在维也纳举行的专家组会议上各国发言的主要内容", "some speakers in Vienna".
_SAID_AT_ZH = re.compile(r"在[^，,在]{0,15}?会议?(?:上|期间|中)"
                         r"|^(?:请?概述)?[^在，,]{2,8}?会议(?:上|期间|中)?")
_SAID_AT_EN = re.compile(r"\s(?:in|at|during)\s.*$")
_REGIONAL_ZH = re.compile(r"(?:亚洲|欧洲|非洲|美洲|拉丁美洲|拉美|北美|南美|大洋洲|亚太|中东|加勒比)"
                          r"(?!联盟|委员会|理事会|议会)(?:各国|国家|地区)?")
# Regions and groups of States: "experts from Latin American countries".
_REGIONAL_EN = re.compile(r"\b(?:European|Latin American|African|Asian|Asia-Pacific|Arab|"
                          r"Caribbean|Nordic|Western|Eastern|Central|Southern|Northern|Pacific|"
                          r"developing|developed) (?:countries|States|states|nations|governments|"
                          r"delegations|experts|members|regions?)\b")

# "What does article 18 of the Budapest Convention provide?": the content of another
# instrument. A report that names an instrument seldom quotes it; a passage answers such
# a question only if it states what some provision says.
# Named texts that are not treaties count when capitalised ("the Paris Call", not "the
# call for a new convention").
_INSTRUMENT_EN = (r"(?:convention|protocol|treaty|agreement|charter|covenant"
                  r"|(?-i:Call|Declaration|Pledge|Act|Regulation|Directive))")
_EN_PROVISION = re.compile(
    r"(?<!model )(?<!framework )(?<!example )(?<!lessons )(?<!basis )"
    r"\b(?:does|do|did) (?:the )?[^?]{0,80}?\b" + _INSTRUMENT_EN + r"\b[^?]{0,40}? "
    r"(?:require|provide(?! (?:a|an|the) (?:model|framework|basis|example|standard|"
    r"template)\b)|stipulate|oblige|set out|prescribe|define|commit|impose)\b"
    r"|\b(?:provisions?|articles?|clauses?)(?: \d+)? of (?:the )?[^?]{0,40}?\b"
    + _INSTRUMENT_EN + r"\b"
    # "What is the penalty under the Budapest Convention for …?"; not what a new one
    # should hold, which the reports may propose.
    r"|\bwhat (?:is|are|was|were) (?:the )?(?:[\w-]+ )?(?:penalt(?:y|ies)|sanctions?|fines?|"
    r"punishments?|obligations?|requirements?|rules?|definitions?|procedures?|deadlines?|"
    r"offen[cs]es?|time limits?) (?:[^?]{0,30}? )?under "
    r"(?!(?:(?:the|a|an|any) )?(?:[\w'’-]+ )?(?:new|future|proposed|possible|draft|planned)\b)"
    r"[^?]{0,40}?\b" + _INSTRUMENT_EN
    + r"\b",
    re.I,
)
_ZH_PROVISION = re.compile(r"《[^》]+》[^？?报]{0,20}?(?:条款|条文|规定|要求|第\s*\d+\s*条)"
                           r"(?:具体)?(?:规定|要求)?了?(?:什么|哪些|何种)")

# A reference number the passage must repeat: an article, a resolution or another
# document symbol. Paragraph numbers of the report itself, list numbering and dates are
# not required ("paragraph 13", "1. When …", "of 27 December 2019").
_REFERENCE = re.compile(
    # 74/247, A/RES/74/247; not a date (27/12/2019), a span of years (2021/2022) or a
    # piece of a document symbol after a dotted part ("EG.4/2020/2", the report's own).
    r"(?<![\d./])(?<![A-Z]\.)(?!\d{1,2}/\d{1,2}/\d{2,4}\b)(?!(?:19|20)\d\d/\d{2,4}\b)(?!24/7\b)"
    r"\d+(?:/\d+)+"
    r"|(?<=第)\s*\d+\s*(?=[条号])"
    r"|(?i:\b(?:articles?|resolutions?|rules?|decisions?) )\d+(?:/\d+)*"
)
_NUMBERS = re.compile(r"\d+(?:/\d+)*")
# An office the question asks about ("who chaired the meeting?", "由谁担任主席？"), with
# what a passage must say to be about it. A passage that never mentions the office
# cannot say who held it: the attendance paragraph names states, not a chair. Only a
# question that asks *who* holds it: "hosting providers", "a group chaired by X" or "who
# should host the centre of expertise" ask about something else.
_AUX_EN = r"(?:will|would|should|did|does|do|is|was|were|are|has|had|have|can|could|may|might)"
# The question word is the office holder: "who chaired", "which country will chair";
# not "what did the group chaired by X recommend".
_WHO_EN = (r"\b(?:who|(?:which|what)(?: (?!" + _AUX_EN + r"\b)[\w'-]+){1,2}?) (?:" + _AUX_EN
           + r" )?(?:also |first )?")
_WHO_IS_EN = r"\bwho (?:is|was|were|are|will be|would be) (?:the |its |their )?"
_WHO_ZH = r"(?:谁|哪个|哪些|哪一?|什么)[^，,？?]{0,12}?"
_ROLES: list[tuple[str, re.Pattern[str], re.Pattern[str]]] = [
    ("the chair or president",
     re.compile(_WHO_EN + r"(?:chair(?:ed|s)?|presid(?:ed|es|e)(?: over)?)\b"
                + r"|" + _WHO_IS_EN + r"(?:chair(?:man|woman|person)?|president)\b"
                + r"|" + _WHO_ZH + r"(?:担任主席|主持)|主席(?:国)?(?:是|为|由)(?:谁|哪)"
                + r"|由谁(?:担任|主持)", re.I),
     re.compile(r"(?i)\bchair|\bpresid|主席|主持")),
    ("the rapporteur",
     re.compile(_WHO_EN + r"(?:served|serves|acted|acts) as (?:the )?rapporteur\b"
                + r"|" + _WHO_IS_EN + r"rapporteur\b|" + _WHO_ZH + r"担任报告员"
                + r"|报告员(?:是|为)(?:谁|哪)", re.I),
     re.compile(r"(?i)\brapporteur|报告员")),
    ("the host",
     re.compile(_WHO_EN + r"host(?:ed|s)? (?:the|this|its|their|a|an|next) (?:[\w-]+ )?"
                r"(?:meeting|session|conference|talks|negotiations)\b"
                + r"|\b(?:which|what) (?:is |was |will be )?(?:the )?host (?:country|city|state|"
                r"government)\b|" + _WHO_ZH + r"(?:主办|东道)|(?:东道国|主办方|主办国)(?:是|为)"
                r"(?:谁|哪)", re.I),
     re.compile(r"(?i)\bhost|东道|主办")),
]
# Not an office, but the same test: a question about a protocol ("the Second Additional
# Protocol to the Budapest Convention", "议定书") is not answered by a passage that names
# the convention only. Not "what protocol should MLA requests follow" (a procedure).
_ROLES.append(("a protocol", re.compile(r"(?<!Internet )(?-i:Protocols?)\b(?! (?i:address))"
                                         r"|\b(?i:additional|optional) protocols?\b|议定书"),
               re.compile(r"(?i)议定书|\bprotocol")))
# Not an office either: what a private person should do ("个人遭遇网络诈骗后，应当如何报案？",
# "How can victims of ransomware get their data back?", "What should I do if …?") is
# advice that a report addressed to Member States gives only if it mentions such persons.
# The persons must be who is to act: not whom States help ("各国应如何帮助受害者", "how can
# victims be better protected?"), nor whose data it is ("用户数据", "users' data"), nor
# "individual States". A Chinese subject carries over a comma only from a time clause
# ("个人遭遇网络诈骗后，应当如何……").
_PRIVATE_ZH = (r"(?:个人|受害人|受害者|被害人|普通人|普通民众|民众|老百姓|公民|市民|网民"
               r"|用户|消费者|家长|老年人)"
               r"(?!的?(?:数据|信息|隐私|资料|电脑|账户|账号|通信|记录|电子|个人|所在|国家|社会"
               r"|权利|权益))")
# Not "an individual Member State", "victim States".
_STATES_AFTER = r"(?! (?:member )?(?:states?|countr\w*|nations?|governments?|authorit\w*))"
_PRIVATE_EN = (rf"(?:individuals|an individual{_STATES_AFTER}|victims?{_STATES_AFTER}|"
               r"(?:ordinary )?people|ordinary (?:citizens|users)|"
               r"citizens?|consumers?|(?:internet |home |end[- ])?users?|parents?|"
               r"members of the public)(?!['’\w]| (?:data|information|accounts?|records?|"
               r"privacy|devices?)\b)")
_ADVICE_ZH = (r"(?:(?:应当|应该|(?<![供相响适反答])应|该|要|需要|可以|能)(?:如何|怎么|怎样)"
              r"|(?:如何|怎么|怎样)(?:才能|去))(?!被)")
# Between the person and the advice, no other subject: "用户在境外时执法部门应如何……" asks
# what the authorities should do.
_NOT_A_SUBJECT = r"(?!部门|机关|机构|国家|各国|政府|当局|法院|警方|执法|会员国|社会)"
_NO_OTHER_SUBJECT = rf"(?:{_NOT_A_SUBJECT}[^？?。；，,]){{0,30}}?"
# The same across a comma: "我的账号被盗了，应该找谁？"
_NO_OTHER_SUBJECT_IN_SENTENCE = rf"(?:{_NOT_A_SUBJECT}[^？?。；]){{0,30}}?"
# Asked of the asker, only about protecting themselves or what happened to them: an
# official asking "我们应当如何传递司法协助请求？" or "how should I handle MLA requests?"
# asks what the reports recommend.
_SELF_HELP_ZH = r"(?:防范|保护|报案|找回|追回|举报|避免|预防|挽回|处理被)"
_SELF_HELP_EN = (r"(?:protect|secure|recover|report (?:it|a|an|the|this|my)|get (?:back|my)|"
                 r"stop|prevent|reset|remove|avoid)\b")
# What a victim of a crime does: report it (报案, not 报告), or says happened to them.
_REPORTS_ZH = r"(?:报案|报警|举报|投诉)"
_VICTIM_ZH = (r"被[^，,？?]{0,8}?(?:骗|盗|黑|勒索)"
              r"|(?:遇到|遭遇|遭到|碰到)了?(?:网络|电信|网上)?(?:诈骗|骗局)")
# Finding something out ("网民如何理解‘地点不明’？") is asking the reports, not for advice.
_FINDING_OUT_ZH = r"(?!知道|了解|看待|理解|引用|查找|查到|阅读|查阅|判断|评价|解读|找到)"
_ROLES.append(("individuals, victims or users", re.compile(
    rf"(?<![助护为向对给帮]){_PRIVATE_ZH}{_NO_OTHER_SUBJECT}"
    rf"(?:{_ADVICE_ZH}|(?:后|时|之后|以后)[，,]\s*{_ADVICE_ZH}){_FINDING_OUT_ZH}"
    rf"|(?<![助护为向对给帮]){_PRIVATE_ZH}们?(?:如何|怎么|怎样)(?!被){_FINDING_OUT_ZH}"
    rf"|(?:我|我们)(?:应当|应该|该|要|需要|可以|能)?(?:如何|怎么|怎样)(?:才能)?{_SELF_HELP_ZH}"
    # Where to report a crime, which a private person does ("我被网络诈骗了，应该去哪里报
    # 案？", "哪里可以举报……"); whom to turn to only when the asker is one: a State asks
    # for help too ("一国需要获取境外电子证据时，应该向谁求助？").
    rf"|(?:去|到|向|在)?(?:哪里|哪儿|何处|什么地方|哪个部门|谁)(?:可以|能|能够)?{_REPORTS_ZH}"
    rf"|{_REPORTS_ZH}(?:应当|应该|该|要)?(?:找谁|找哪个部门)"
    rf"|(?:我(?![国们])|{_PRIVATE_ZH}|{_VICTIM_ZH}){_NO_OTHER_SUBJECT_IN_SENTENCE}"
    r"(?:找谁|(?:去|到|向)(?:哪里|哪儿|何处|什么地方|哪个部门|谁)求助)"
    r"|\bwhere (?:should|can|could|do|does|would|must) (?:(?:a|an|the) )?(?:I|victims?|people"
    r"|users?|individuals|citizens|parents|someone)\b(?: of [\w\s-]{1,40}?)?"
    r"(?: (?:go|turn))?(?: to)? (?:report|complain)\b"
    r"|\bwhere to report\b|\bwho (?:should|can|could|do) I (?:contact|call|tell|report)"
    rf"|\bhow (?:should|can|could|do|does|must|would) (?:an? |the )?{_PRIVATE_EN}"
    r"(?![^?]{0,40}?\bbe (?:better )?\w+ed\b)"
    rf"|\bwhat (?:should|can|must) (?:an? |the )?{_PRIVATE_EN} [^?]{{0,40}}?\bdo\b"
    rf"|\bwhat (?:steps|measures|precautions|actions) (?:should|can|must) (?:an? |the )?"
    rf"{_PRIVATE_EN}"
    rf"|\bbest way for (?:an? |the )?{_PRIVATE_EN}"
    r"|\bwhat should I do\b(?![^?]{0,30}?\b(?:want|wish|need) to (?:know|find|learn|"
    r"understand|check|see)\b)"
    rf"|\bhow (?:can|should|do) I {_SELF_HELP_EN}", re.I),
    re.compile(rf"{_PRIVATE_ZH}|\b(?:{_PRIVATE_EN}|persons?|people|general public)\b", re.I)))
_ROLE_EVIDENCE = {name: evidence for name, _, evidence in _ROLES}
# What a "how many" question counts, for telling whether a list counts it: the
# attendance paragraph lists states ("下列会员国的专家作了发言：……"), so it answers how many
# states or experts spoke, not how many states are parties to a treaty. Per kind: the
# nouns in a question, and in the words that introduce a list.
_STATE_NOUNS = (r"countries|\bstates\b|nations|governments|delegations|parties|signatories"
                r"|国家|会员国|代表团|政府(?!间)|缔约国|缔约方")
_ORGANISATION_NOUNS = r"organi[sz]ations|bodies|entities|agencies|institutions|组织|机构|实体"
_PERSON_NOUNS = (r"experts|people|persons|participants|delegates|observers|speakers"
                 r"|representatives|officials|members|专家|与会者|代表|观察员|成员|发言者|人员")
# (kind, in the question: the nouns plus counting words, in a list's introduction: nouns)
_COUNTED_KINDS: list[tuple[str, re.Pattern[str], re.Pattern[str]]] = [
    (kind, re.compile(f"(?i){nouns}{counting}"), re.compile(f"(?i){nouns}"))
    for kind, nouns, counting in [
        ("state", _STATE_NOUNS, r"|多少国(?![际内外])|几国(?![际内外])"),
        ("organisation", _ORGANISATION_NOUNS, ""),
        ("person", _PERSON_NOUNS, r"|staff|officers|[名位人]"),
    ]
]
_KIND_NOUNS = {kind: nouns for kind, _, nouns in _COUNTED_KINDS}
# Examples given in passing ("哪些科技公司，比如腾讯或阿里巴巴，被点名……？") are no
# clause of their own; one that asks something ("比如哪些国家", "比如何时生效") is kept.
_ASIDE_ZH = re.compile(r"[，,](?:比如|例如|譬如|像是?)"
                       r"(?:(?!哪|什么|谁|几|多少|多长|多久|何|怎|是否|吗|有没有)[^，,？?]){1,20}[，,]")
_CLAUSE_BREAK = re.compile(r"[，,；;：:]|的情况下|的时候")
# A condition, a time or a topic ("关于……何时开始工作，发言中有哪些主张？" asks for the
# proposals, not a date).
_SUBORDINATE_ZH = re.compile(r"^(?:如果|假如|要是|万一|假设|倘若|如若|一旦|若|当|鉴于|无论|不管"
                             r"|即使|虽然|尽管|关于|对于|至于)"
                             r"|(?<!何)时$|以后$|之后$")

# ------------------------------------------------------------------ passage evidence

_ZH_NUMERAL = "一二两三四五六七八九十百千万"
_EN_NUMBER_WORDS = (r"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
                    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|"
                    r"forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|"
                    r"billion|dozen|dozens|hundreds|thousands|millions")
# A plain number: not a year, not a piece of a document symbol ("74/247", "A/75/…"),
# not an ordinal ("第 18 条": a reference, not a count). Possessive runs keep a long
# string of digits linear.
_DIGITS = re.compile(r"(?<![\d/.])(?<!第)(?<!第 )\d++(?:[,.]\d++)*+(?![\d/])")
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
_ZH_COUNT = re.compile(rf"(?<![{_ZH_NUMERAL}])[{_ZH_NUMERAL[1:]}][{_ZH_NUMERAL}]*+\s*(?:个|名|"
                       r"位|项|次|国|家|种|条|份|人|票)|一\s*(?:名|位|人)|百分之")
# A list the reader can count: "澳大利亚、奥地利、阿塞拜疆", "Australia, Austria and Azerbaijan".
_ENUMERATION = re.compile(r"[^、，。；：,;:]{1,20}、[^、，。；：,;:]{1,20}(?:、|和|及|以及)"
                          r"|\b[\w-]+(?: [\w-]+){0,3}, [\w-]+(?: [\w-]+){0,3},? and \b")
_EN_COUNT = re.compile(rf"\b(?:{_EN_NUMBER_WORDS}|one)\b|%|\bper ?cent\b", re.I)
_DURATION = re.compile(
    rf"(?<![\d{_ZH_NUMERAL}])(?:\d++|[{_ZH_NUMERAL}]++)\s*(?:个)?\s*(?:个月|周|星期|天|小时)"
    rf"|(?<!\d)(?:[1-9]\d?|1\d\d)\s*年(?!\d)"
    rf"|(?<![{_ZH_NUMERAL}])[{_ZH_NUMERAL}]++\s*年"
    rf"|\b(?:\d++|one|{_EN_NUMBER_WORDS}|several|a few)[ -](?:years?|months?|weeks?|days?|"
    r"hours?)\b",
    re.I,
)
# When a wait or a term ends: "于 2021 年将建议提交……之后", "until 2021".
_END_POINT = re.compile(r"(?:19|20)\d\d\s*年[^。；]{0,40}?(?:以后|之后|以前|之前|为止)"
                        r"|\b(?:until|beyond|after|before|through) (?:the end of )?(?:19|20)\d\d\b")
_MONEY = re.compile(r"(?<![\d,.])\d++(?:[,.]\d++)*+\s*(?:万|亿)?\s*(?:美元|欧元|元|英镑|法郎|日元)"
                    r"|(?:US\$|\$|€|£|¥)\s*\d"
                    r"|(?<![\d,.])\d++(?:[,.]\d++)*+\s*(?:million |billion )?(?:dollars|euros|"
                    r"pounds)\b|\b(?:USD|EUR|GBP|CHF)\s*\d", re.I)
_TIME = re.compile(
    r"(?<!\d)(?:1[89]|20)\d\d(?!\d)|(?<!\d)\d{1,2}\s*月|(?<![一二三四五六七八九十])[一二三四五六七八九十]++月"
    r"|(?<!\d)\d{1,2}\s*日"
    r"|明年|今年|去年|下周|本周|下月|本月|星期[一二三四五六日天]|周[一二三四五六日]"
    r"|\b(?:January|February|March|April|June|July|August|September|October|November|"
    r"December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
    r"|\b(?:next|this|last) (?:year|month|week)\b",
)
_MONTHS_EN = (r"(?:January|February|March|April|May|June|July|August|September|October|"
              r"November|December)")
_DAY = re.compile(r"(?<!\d)\d{1,2}\s*日|[一二三四五六七八九十]+日|\b\d{1,2} " + _MONTHS_EN
                  + r"\b|\b" + _MONTHS_EN + r" \d{1,2}\b")
_EN_PLACE_TEXT = re.compile(r"\b(?:in|at) (?:the )?(?P<name>[A-Z][a-z]+(?: [A-Z][a-z]+)*)")
# A capitalised name in English text that is not the first word of its sentence.
_EN_NAME = re.compile(r"(?<=[a-z,;:(] )[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*(?! (?:Convention|Treaty|"
                      r"Protocol|Agreement))")
_PROVISION_TEXT = re.compile(r"规定|条款|条文|第\s*\d+\s*条|\bprovides?\b|\brequires?\b"
                             r"|\barticles? \d+|\bprovisions?\b|\bstipulat", re.I)
# A named party followed, within its clause, by what it said.
_ATTRIBUTION_ZH = re.compile(r"[^，。；：、]{0,12}?(?:认为|指出|表示|强调|主张|提议|建议|反对|支持|"
                             r"呼吁|赞成|欢迎|说明|提出|介绍)")
_ATTRIBUTION_EN = re.compile(r"\b(?:of|from|by) (?:the )?[A-Z][\w-]*(?: [A-Z][\w-]*)*"
                             r"[^.;:]{0,40}?\b(?:said|stated|noted|stressed|argued|proposed|"
                             r"suggested|expressed|supported|opposed|welcomed|emphasi[sz]ed|"
                             r"called)\b")

_posseg_lock = threading.Lock()


@dataclass(frozen=True)
class QuestionProfile:
    """What a question asks for.

    Attributes:
        types: Answer types (``QUANTITY``, ``TIME``, ``VIEW`` …) the question asks for.
        references: Reference numbers it cites ("18" of "article 18", "74/247").
        roles: Offices it asks about ("the chair"), a protocol, and private persons
            asked what to do ("个人……应当如何报案？"), which the passage must mention.
        counted: For a "how many" or "which … have ratified" question, the kind of
            thing counted or listed ("state", "organisation", "person"), or None for
            anything a list does not count (requests, meetings).
        events: For a "when" question, the events it may ask the date of ("begin",
            "meet" …, see ``_EVENTS``); the date must be in a sentence about one.
        predicates: For a "how many", list, which-state or who question, what those
            asked about did ("spoke", "ratified" …, see ``_LIST_PREDICATES``); a list
            counts, or names them, only if the words introducing it say so.
        prison: For a penalty question, whether it asks for a prison term, which being
            "held accountable" does not give.
        finishes: For a "when" question about something being finished, submitted or
            adopted, the question, to tell whose end it asks: a date after which one body
            may only begin once another finishes is not when the first must finish
            (``_only_a_start_for``). None for other questions.
        names: Organisations and titled texts a Chinese question names, and acronyms an
            English one is about, that the index does not know ("国际电信联盟",
            "《网络安全法》", "GDPR"), which a passage must then mention (``_mentions``).
        seat_heads: For a where-is-it-based question, words of which one must be in a
            passage that answers with the body it sits within (not a place): "" for a
            recommendation ("单位应设在哪里？"), else the end of the Chinese subject
            ("犯罪中心" of "欧洲网络犯罪中心设在哪里？").
    """

    types: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    counted: str | None = None
    events: tuple[str, ...] = ()
    predicates: tuple[str, ...] = ()
    seat_heads: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    prison: bool = False
    finishes: str | None = None

    @property
    def is_empty(self) -> bool:
        """Whether the question asks for no particular kind of answer."""
        return not self.types and not self.references and not self.roles and not self.names

    @property
    def asks_who(self) -> bool:
        """Whether the question asks who said something, or what a named party said."""
        return bool({STATE, SPEAKER, VIEW} & set(self.types))

    @property
    def closest_only(self) -> bool:
        """Whether only the most relevant passage may answer: who said what (every report
        has an attendance paragraph naming states), or until when and by what deadline
        (``UNTIL``: a year further down, "2021 年以后", is seldom the end point asked for).
        """
        return self.asks_who or UNTIL in self.types

    def requirements(self) -> list[str]:
        """Everything the question asks for, as phrases for an abstention reason."""
        return [TYPE_NAMES[kind] for kind in self.types] + [
            _mention(number) for number in self.references] + [
            f"mention of {role}" for role in self.roles] + [
            _mention(name) for name in self.names]

    def missing(self, text: str, *, lists_count: bool = True, headings: str = "") -> list[str]:
        """Which of :meth:`requirements` ``text`` lacks; empty if it may answer.

        Args:
            text: The passage.
            lists_count: Whether a list answers "how many" (the reader counts it) when
                it is a list of what is counted, or only a number does.
            headings: The passage's document title and section headings, where the
                names of the question may be found too ("《初步建议和结论清单》").
        """
        text = unicodedata.normalize("NFKC", text)
        lacking = [TYPE_NAMES[kind] for kind in self.types
                   if not _has_type(kind, text, self, lists_count=lists_count)]
        stated = set(_NUMBERS.findall(text))
        lacking += [_mention(number) for number in self.references if number not in stated]
        lacking += [f"mention of {role}" for role in self.roles
                    if not _ROLE_EVIDENCE[role].search(text)]
        named = f"{text}\n{headings}"
        lacking += [_mention(name) for name in self.names if not _mentions(name, named)]
        return lacking


def _mention(number: str) -> str:
    return f"mention of “{number}”"


# Short or informal names of bodies and instruments, with the names UN Chinese texts use
# for them; a question may name them either way. Not a thesaurus: only names whose
# short form shares too little with the full one to be found in it.
_UN_NAMES: dict[str, tuple[str, ...]] = {
    "国际刑警组织": ("国际刑事警察组织",),
    "联大": ("大会",),
    "欧盟": ("欧洲联盟",),
    "欧洲理事会": ("欧洲委员会",),  # often said for the Council of Europe
    "巴勒莫公约": ("联合国打击跨国有组织犯罪公约", "打击跨国有组织犯罪公约"),
    "网络犯罪公约": ("布达佩斯公约",),
    "联合国反腐公约": ("联合国反腐败公约",),
    "毒罪办": ("毒品和犯罪问题办公室",),
    "经社理事会": ("经济及社会理事会",),
    "预防犯罪委员会": ("预防犯罪和刑事司法委员会",),
    "刑事司法委员会": ("预防犯罪和刑事司法委员会",),
    # English acronyms, with the Chinese and English names a report gives.
    "MLA": ("司法协助", "mutual legal assistance"),
    "MLAT": ("司法协助", "mutual legal assistance"),
    "ISP": ("互联网服务供应商", "service provider"),
    "CSAM": ("性虐待和性剥削儿童", "sexual abuse"),
    "OCSEA": ("性虐待和性剥削儿童", "sexual exploitation"),
    "ICT": ("信息和通信技术", "information and communications technolog"),
    "ICTS": ("信息和通信技术", "information and communications technolog"),
    "INTERPOL": ("国际刑事警察组织", "International Criminal Police"),
    "CCPCJ": ("预防犯罪和刑事司法委员会", "Commission on Crime Prevention"),
    "UNTOC": ("联合国打击跨国有组织犯罪公约", "Transnational Organized Crime"),
    "UNCAC": ("联合国反腐败公约", "Convention against Corruption"),
    "UNGA": ("大会", "General Assembly"),
    "IGO": ("政府间组织", "intergovernmental organi"),
}
# An acronym of three letters or more that the question is about ("under the GDPR",
# "what did the OEWG conclude"): after an article, a preposition or an auxiliary, not in
# a document symbol ("A/RES/74/247") or a parenthesis. Two-letter ones ("UN", "EU", "MP")
# and the asker's own context ("as an NGO …", "for my LLM thesis") are not; nor is the
# body that convenes the expert group, which its reports need not name.
_ACRONYM = re.compile(r"\b(?:the|under|does|did|do|is|was|are|were|of|by|from|with|in|per|"
                      r"about|to|and|or) (?:[A-Z]{2} )?(?P<acronym>[A-Z][A-Z0-9]{2,})(?=s?\b)"
                      r"(?!s?[/)-])")
_NOT_NAMES_EN = frozenset("PDF URL HTML FAQ FYI ASAP NGO NGOS CSO CSOS LLM PHD UNODC III VII "
                          "VIII XII XIII XIV XVI".split())
_GOVERNMENT_OF = re.compile(r"(?:政府|代表团|当局)$")
# Kinds of body, not names: "民间组织", "非政府组织".
_KINDS_OF_BODY = frozenset("民间组织 非政府组织 国际组织 区域组织 地区组织 政府间组织 社会组织 "
                           "公益组织 慈善组织 行业组织 学术组织".split())
# The asker describing themselves: "我们是一家关注儿童网络安全的民间组织。", "作为……的
#研究人员"; not "我想知道国际电信联盟……", which asks about the body.
_ASKERS_OWN = re.compile(r"\s*(?:(?:我们|我|本人)(?:是|在|来自|所在的|代表)|作为)")
# What ends an organisation's name, and the parts of speech its other words have.
# Not 公司: "科技公司", "网络公司" are kinds of company, not names.
_BODY_NOUNS = frozenset("组织 联盟 法院 大学 理事会 议会 委员会 办公室 银行 论坛 联合会 协会 "
                        "基金会".split())
# How a name begins: a proper noun, or a word that begins many ("国际移民组织").
_NAME_START_TAGS = frozenset({"ns", "nt", "nz", "j", "nrt"})
_NAME_START_WORDS = frozenset("国际 联合国 全球 世界".split())
_NAME_PART_TAGS = frozenset({"ns", "nt", "nz", "n", "j", "vn", "b", "an", "nrt"})
# A body named to place another or a meeting: "经社理事会下属的委员会", "在毒罪办组织的
# (这次)会议上".
_DESCRIBES_ANOTHER = re.compile(r"下属|下设|所属|旗下|主持下|支持下|领导下|框架下|框架内"
                                r"|(?:组织|举办|召开|主办|主持|召集)的|的[^，,？?]{0,4}会议")


def _named_in(question: str) -> tuple[str, ...]:
    """Organisations and 《titles》 a Chinese question names, acronyms an English one is
    about. "国际电信联盟的全球网络安全指数……" asks about a body the report never
    mentions; a passage that does not name it cannot answer.

    An organisation is a word jieba tags ``nt`` (four characters or more), or words
    ending in an organisation's noun ("上海/合作/组织", "国际/移民/组织", which jieba
    leaves untagged). Not a State's government or delegation ("日本政府" is the State),
    nor a body named only to say which other one is meant ("联合国经社理事会下属的……").
    """
    if not has_cjk(question):
        letters = [c for c in question if c.isalpha()]
        if sum(c.isupper() for c in letters) > len(letters) / 2:
            return ()  # A question typed in capitals has no acronyms to tell.
        return tuple(dict.fromkeys(m.group("acronym") for m in _ACRONYM.finditer(question)
                                   if m.group("acronym") not in _NOT_NAMES_EN))
    tags = _tags(question[:_TAGGED_QUESTION_CHARS])
    found: list[tuple[str, int]] = []
    offset = 0
    run: list[tuple[str, str]] = []
    for word, flag in tags:
        end = offset + len(word)
        if flag == "nt" and (len(word) >= 4 or word in _UN_NAMES):
            found.append((word, end))
        while run and not (run[0][1] in _NAME_START_TAGS or run[0][0] in _NAME_START_WORDS):
            run.pop(0)
        if word in _BODY_NOUNS and run:
            found.append(("".join(w for w, _ in run) + word, end))
        if flag in _NAME_PART_TAGS or (word in ("与", "和") and run):
            run.append((word, flag))
        else:
            run = []
        offset = end
    names = [name for name, end in found
             if (len(name) >= 4 or name in _UN_NAMES) and not _GOVERNMENT_OF.search(name)
             and name not in _KINDS_OF_BODY
             and not _DESCRIBES_ANOTHER.match(question, end)
             and not _ASKERS_OWN.match(_clause_at(question, end - len(name)))]
    names += [title for title in re.findall(r"《([^》]{2,40})》", question)]
    return tuple(dict.fromkeys(names))


def _clause_at(text: str, position: int) -> str:
    """The clause of ``text`` (between punctuation) that holds ``position``."""
    start = max(text.rfind(mark, 0, position) for mark in "，,。；;：:？?！!") + 1
    return text[start:]


def _forms_of(name: str) -> list[str]:
    """``name``, the names UN Chinese texts use for it, and it without "联合国"."""
    forms = [name, *_UN_NAMES.get(name.upper() if name.isascii() else name, ())]
    if name.startswith("联合国") and len(name) > 4:
        forms.append(name[3:])
    return forms


def _mentions(name: str, text: str) -> bool:
    """Whether ``text`` names ``name``: as written, without a leading "联合国" ("联合国大会"
    is the report's "大会"), or by the name UN Chinese texts use for a common short
    or informal one (``_UN_NAMES``: "国际刑警组织" is "国际刑事警察组织").
    """
    squeezed = re.sub(r"\s+", "", text)
    lowered = text.lower()
    # English forms as words ("ITU" is not in "institutions"), open at the end for a
    # stem ("information and communications technolog").
    return any(form in squeezed if has_cjk(form)
               else re.search(rf"\b{re.escape(form.lower())}", lowered) is not None
               for form in _forms_of(name))


def question_parts(question: str) -> list[str]:
    """The questions ``question`` is made of, each ending at its question mark ("特设委员会
    应该什么时候开始？对会员国有什么呼吁？" is two); text after the last one stays with it.
    """
    parts = [part.strip() for part in re.split(r"(?<=[?？])", question) if part.strip()]
    if len(parts) > 1 and not parts[-1].endswith(("?", "？")):
        parts[-2:] = [f"{parts[-2]} {parts[-1]}"]
    return parts


# A question that refers back to another: "When should it be submitted?", "其作用是什么？",
# or goes on from it, as a chat follow-up joined to the question before does ("那私营部门
# 呢？", "And the private sector?").
_REFERS_BACK = re.compile(r"\b(?:it|its|they|them|their|this|these|that|those)\b"
                          r"|(?<![应活本])该|其(?!他|它|中|余|实|次)|(?<!其)它|(?<![因如彼])此(?!外)"
                          r"|这(?!份报告|次会议|次会)"
                          r"|^\s*(?:那么?|还有|另外|and\b|what about\b|how about\b|what of\b)",
                          re.I)


def refers_back(question: str) -> bool:
    """Whether ``question`` may stand on something said before it: a pronoun, or a
    start that goes on from the question before.
    """
    return _REFERS_BACK.search(question) is not None


def profile_question(question: str,
                     known: Callable[[str], bool] | None = None) -> QuestionProfile:
    """Recognise the answer types a question asks for and the reference numbers it cites.

    Args:
        question: The question.
        known: Whether the index knows every word of a name (its BM25 vocabulary). With
            it, organisations and titles the question names that the reports never
            mention become names a passage must mention (``QuestionProfile.names``).
    """
    question = unicodedata.normalize("NFKC", question)
    types: list[str] = []
    main = _main_clauses(_ASIDE_ZH.sub("", question))
    for kind, pattern in _ZH_TYPES:
        if any(pattern.search(clause) for clause in main) and kind not in types:
            types.append(kind)
    for kind, pattern in _EN_TYPES:
        if pattern.search(question) and kind not in types:
            types.append(kind)
    if DEFINITION in types and _DEFINED_ASPECT.search(question):
        types.remove(DEFINITION)
    if DURATION in types and _UNTIL_CUE.search(question):
        types[types.index(DURATION)] = UNTIL
    if _asks_for_a_view(question):
        types.append(VIEW)
    if _EN_PROVISION.search(question) or _ZH_PROVISION.search(question):
        types.append(PROVISION)
    references = dict.fromkeys(
        re.sub(r"^\D+|\D+$", "", match.group()) for match in _REFERENCE.finditer(question))
    roles = tuple(name for name, cue, _ in _ROLES if cue.search(question))
    names = (tuple(name for name in _named_in(question)
                   if not any(known(form) for form in _forms_of(name)))
             if known is not None else ())
    events: tuple[str, ...] = ()
    if TIME in types or DATE in types or OUTCOME in types:
        # Chinese from the main clauses, as the types; English from the whole question.
        asked = " ".join(main) if has_cjk(question) else question
        asked = re.sub(r"(?i)\bend(?:ed|s)? up\b", " ", asked)
        events = tuple(name for name, cue, _ in _EVENTS if cue.search(asked))
    counts = QUANTITY in types or LIST in types
    # Who did what is asked in a Chinese question's last clause: "在发言的会员国中，哪个
    # 国家最坚决反对……？" asks who opposed, among those who spoke.
    doers = main[0] if has_cjk(question) and main and not counts else question
    return QuestionProfile(
        tuple(types), tuple(ref for ref in references if ref), roles,
        _counted_kind(question, main, types) if counts else None, events,
        tuple(name for name, cue, _ in _LIST_PREDICATES if cue.search(doers))
        if counts or STATE in types or SPEAKER in types else (),
        _seat_heads(question) if SEAT in types else (), names,
        PENALTY in types and _PRISON_CUE.search(question) is not None,
        question if {TIME, DATE} & set(types) and events and set(events) <= _FINISH_EVENTS
        else None)


def _seat_heads(question: str) -> tuple[str, ...]:
    """See ``QuestionProfile.seat_heads``."""
    if _RECOMMENDED.search(question):
        return ("",)
    subject = re.search(r"([\u4e00-\u9fff]+?)(?:应该|应当|将|可以|需要)?设(?:在|于)",
                        question)
    if subject is None:
        return ()
    return (subject.group(1).split("的")[-1][-4:],)


def _counted_kind(question: str, main: list[str], types: list[str]) -> str | None:
    """The kind of thing a "how many" or list question counts (see ``_COUNTED_KINDS``)."""
    found: list[re.Match[str]] = []
    for kind, zh, en in ((QUANTITY, _ZH_QUANTITY, _EN_QUANTITY), (LIST, _ZH_LIST, _EN_LIST)):
        if kind in types:
            found += [m for clause in main if (m := zh.search(clause))]
            found += [m for m in [en.search(question)] if m]
    for match in found:
        for kind, in_question, _ in _COUNTED_KINDS:
            if in_question.search(match.group()):
                return kind
    return None


def _counts_a_list_of(text: str, counted: str | None, predicates: tuple[str, ...] = ()) -> bool:
    """Whether ``text`` lists things of the kind counted, introduced as such.

    With ``predicates`` (what the question says those counted did), the introduction
    must say one of them too.
    """
    if counted is None:
        return False
    introducer = _KIND_NOUNS[counted]
    return any(introducer.search(introduction) and (not predicates or any(
        _PREDICATE_EVIDENCE[name].search(introduction) for name in predicates))
        for introduction in _list_introductions(text))


def _list_introductions(text: str) -> list[str]:
    """For each list in ``text``, the words before it in its sentence ("Statements were
    made by experts from the following Member States: …") and its first item, which the
    match may include ("…作了发言:澳大利亚、"; NFKC turns "：" into ":").
    """
    return [_SENTENCE_END.split(text[:match.start()])[-1] + re.split(r"[、,]", match.group())[0]
            for match in _ENUMERATION.finditer(text)]


def _predicates_of(text: str) -> set[str]:
    return {name for name, evidence in _PREDICATE_EVIDENCE.items() if evidence.search(text)}


def _counts_in(sentence: str, counted: str | None, predicates: tuple[str, ...]) -> bool:
    """Whether ``sentence`` states a number that counts what the question counts: of
    its kind, if known ("一名观察员" counts people, not States that ratified a treaty),
    and not of those who did something else ("一名观察员也作了发言" is not how many
    attended).
    """
    if counted is not None and not _KIND_NOUNS[counted].search(sentence):
        return False
    done = _predicates_of(sentence)
    if predicates and done and not done & set(predicates):
        return False
    if _ZH_COUNT.search(sentence) or _EN_COUNT.search(sentence):
        return True
    return any(not _YEAR.match(m.group().rstrip(".,")) for m in _DIGITS.finditer(sentence))


def _main_clauses(question: str) -> list[str]:
    """The clauses of a Chinese question that can hold what it asks, not its conditions.

    Chinese puts a condition or time clause first ("如果查不清发生在哪里，……要求先弄清什么？");
    a question word inside one is not what the question asks for.
    """
    clauses = [c for c in _CLAUSE_BREAK.split(question.rstrip("？?！!。 ")) if c.strip()]
    if not clauses:
        return []
    return [clauses[-1]] + [c for c in clauses[:-1] if not _SUBORDINATE_ZH.search(c.strip())]


def _asks_for_a_view(question: str) -> bool:
    for pattern in _EN_VIEW:
        for match in pattern.finditer(question):
            if _names_someone(_SAID_AT_EN.sub("", match.group("name"))):
                return True
    for clause in _main_clauses(question[:_TAGGED_QUESTION_CHARS]):
        clause = clause.rstrip("？?。 ")
        cue = _ZH_VIEW.search(clause)
        if cue is None:
            cue = _ZH_PROPOSALS_OF.search(clause)
            if cue is None or not _PARTY_NOUN_ZH.search(_TOPIC_ZH.split(clause[:cue.start()])[0]):
                continue
        # The party is named before the view is asked for, and before "对" or "就" (what
        # the view is about): "中国专家对《布达佩斯公约》持什么立场". Titles and instruments
        # are not parties (jieba tags "布达佩斯" as a person).
        holder = _REGIONAL_ZH.sub("", _SAID_AT_ZH.sub(
            "", _untitled(_TOPIC_ZH.split(clause[:cue.start()])[0])))
        if _NAMED_ORGANISATION_ZH.search(holder):
            return True
        offset = 0
        for word, flag in _tags(holder):
            start, offset = offset, offset + len(word)
            if flag in _SPEAKER_TAGS and word not in _NOT_SPEAKERS and not (
                    flag in _STATE_TAGS and _is_venue(holder, start, offset)):
                return True
    return False


# A meeting or its participants shortly after a place make it the venue: "维也纳会议",
# "维也纳专家组会议的与会专家", "维也纳与会专家" (not "中国专家组成员").
_VENUE_FOLLOWS = re.compile(r".{0,5}?(?:会议|会上|与会|举行|召开|开会)")
_NOT_AT = ("至于", "由于", "对于", "关于", "鉴于", "来自于", "属于", "等于")


def _is_venue(text: str, start: int, end: int) -> bool:
    """Whether the place at ``text[start:end]`` is where something was said, not who said
    it: "与会专家在维也纳主张……", "维也纳会议的与会专家……"; not "至于中国专家……".
    """
    before = text[:start]
    return (before.endswith("在") or (before.endswith("于") and not before.endswith(_NOT_AT))
            or _VENUE_FOLLOWS.match(text, end) is not None)


def _untitled(text: str) -> str:
    """``text`` without instrument names: 《…》 titles and "…公约/条约/协定/议定书"."""
    text = re.sub(r"《[^》]*(?:》|$)", "", text)
    return re.sub(r"[\u4e00-\u9fff]{0,12}(?:公约|条约|协定|议定书)", "", text)


def _names_someone(subject: str) -> bool:
    """Whether an English subject names a particular party, not "Member States"."""
    if _NOT_A_PARTY_EN.search(subject) or len(subject.split()) > 6:
        return False
    rest = _COLLECTIVE_EN.sub(" ", _REGIONAL_EN.sub(" ", subject))
    return re.search(r"\b[A-Z]", rest) is not None


def _has_type(kind: str, text: str, profile: QuestionProfile, *, lists_count: bool) -> bool:
    counted, events, predicates = profile.counted, profile.events, profile.predicates
    if kind == QUANTITY:
        return (lists_count and _counts_a_list_of(text, counted, predicates)) or any(
            _counts_in(sentence, counted, predicates) for sentence in _SENTENCE_END.split(text))
    if kind == DURATION:
        return _DURATION.search(text) is not None
    if kind == UNTIL:
        return _DURATION.search(text) is not None or _END_POINT.search(text) is not None
    if kind == MONEY:
        return _MONEY.search(text) is not None
    if kind in (TIME, DATE):
        date = _TIME if kind == TIME else _DAY
        return any(date.search(sentence) and (not events or any(
            _EVENT_EVIDENCE[name].search(sentence) for name in events))
            and not _only_a_start_for(sentence, profile.finishes)
            for sentence in _SENTENCE_END.split(text))
    if kind == LIST:
        return lists_count and _counts_a_list_of(text, counted, predicates)
    if kind == OUTCOME:
        return _states_a_decision(text, events)
    if kind == PERSON:
        return _PERSON_TEXT.search(text) is not None or any(
            flag in _PERSON_TAGS for _, flag in _tags(_untitled(text)))
    if kind == PENALTY:
        # A prison term asked for needs one given, not just "held accountable".
        evidence = _PRISON if profile.prison else _PENALTY
        return evidence.search(text) is not None
    if kind == ACCESSION:
        return _ACCESSION.search(text) is not None
    if kind == DEFINITION:
        return _DEFINITION_TEXT.search(text) is not None
    if kind == VOTES:
        return _VOTES_TEXT.search(text) is not None
    if kind == DOCUMENTS:
        return _DOCUMENTS_TEXT.search(text) is not None
    if kind == CASE:
        return _CASE_TEXT.search(text) is not None
    if kind == SEAT:
        # "Within the central authority" says where a recommended unit sits, or where
        # the body asked about sits if the passage names it; not where another body is.
        # A list ("下列会员国的专家作了发言：……") names places that are no seat.
        unlisted = "".join(sentence for sentence in _SENTENCE_END.split(text)
                           if not _ENUMERATION.search(sentence))
        return _has_type(PLACE, unlisted, profile, lists_count=lists_count) or (
            _SEAT_TEXT.search(text) is not None
            and any(head in text for head in profile.seat_heads))
    if kind == MANNER:
        return any(_MANNER.search(sentence) and not _PROPOSAL.search(sentence)
                   for sentence in _SENTENCE_END.split(text))
    if kind == PLACE:
        # Where those who spoke come from ("下列会员国的专家作了发言：澳大利亚、……") is no
        # venue: a list introduced as doing something names parties, not where it was;
        # its introduction may ("出席了在维也纳举行的会议：……").
        text = " ".join(_unlisted(sentence) for sentence in _SENTENCE_END.split(text))
        return any(_names_someone(m.group("name")) for m in _EN_PLACE_TEXT.finditer(text)) or any(
            flag == "ns" and word not in _NOT_SPEAKERS for word, flag in _tags(_untitled(text)))
    if kind in (STATE, SPEAKER):
        # A list of those who spoke names who spoke, not who proposed or opposed what.
        text = "".join(sentence for sentence in _SENTENCE_END.split(text)
                       if not _lists_others(sentence, predicates))
        tags = _STATE_TAGS if kind == STATE else _SPEAKER_TAGS
        return _has_english_name(text) or any(
            flag in tags and word not in _NOT_SPEAKERS for word, flag in _tags(_untitled(text)))
    if kind == VIEW:
        return _has_attribution(text)
    if kind == PROVISION:
        return _PROVISION_TEXT.search(text) is not None
    raise ValueError(f"unknown answer type {kind!r}")


def _unlisted(sentence: str) -> str:
    """``sentence`` without the items of a list introduced as doing something: its
    introduction before the colon ("出席了在维也纳举行的会议"), or nothing without one.
    """
    if not _lists_others(sentence, ()):
        return sentence
    return sentence.split(":")[0] if ":" in sentence else ""


def _only_a_start_for(sentence: str, question: str | None) -> bool:
    """Whether ``sentence``'s date is when one body may only begin after another has
    finished (``_START_AFTER``), and ``question`` asks when the first must finish.

    The question asks about the body that begins if it names it by the head word of
    the sentence's subject ("该委员会": 委员会; in English "committee", as UN English
    calls the body that 委员会 names here, and never the Commission) other than in the
    name of a body of the condition ("提交预防犯罪和刑事司法委员会"), and names nothing
    of the condition (专家组, 建议: "When must the group's recommendations be submitted?"
    is asked of the group). Anything else takes the date, as before.
    """
    if question is None or _WAITS.search(question):
        return False
    match = _START_AFTER.search(sentence)
    if match is None or _TIME.search(sentence[:match.start()] + sentence[match.end():]):
        return False  # no such sentence, or it dates something else too
    chinese = match.group("subject") is not None
    main = match.group("main") if chinese else match.group("main_en")
    condition = (sentence[match.start("subject"):] if chinese
                 else sentence[match.start("subject_en"):])
    heads = [word for word in tokenize(main.lower())
             if len(word) >= 2 and not _NOT_A_HEAD.match(word)]
    if not heads:
        return False
    head = max(heads, key=lambda word: (main.rfind(word) + len(word), len(word)))
    asked = _COMMITTEE_OF_EXPERTS.sub("", question)
    if has_cjk(asked):
        # The head as the name's end of a body of the condition is that body: any name
        # of it ("预防犯罪委员会" for 预防犯罪和刑事司法委员会), or the head after two
        # characters the condition has before it too (司法委员会).
        for name, forms in _UN_NAMES.items():
            if has_cjk(name) and any(form in condition for form in forms):
                asked = asked.replace(name, " ")
        # Nor is it the body the question waits for or sends something to.
        if not any((at < 2 or asked[at - 2:at + len(head)] not in condition)
                   and not _TO_A_BODY_ZH.search(asked[:at])
                   for at in _occurrences(asked, head)):
            return False
        words = set(tokenize(asked))
    else:
        english_head = _ENGLISH_HEADS.get(head, head)
        if not any(not re.search(r"(?i)\bto (?:the |a )?(?:[\w-]+ ){0,3}$", asked[:at])
                   for at in (m.start() for m in re.finditer(
                       rf"(?i)\b{re.escape(english_head)}s?\b", asked))):
            return False
        dictionary = bundled_dictionary()
        if dictionary is None:
            return False
        words = set(tokenize(asked.lower())) | {
            word for word, _ in dictionary.translate(asked, bool).terms}
    named = [word for word in tokenize(match.group("subject") + " " + match.group("object"))
             if len(word) >= 2 and has_cjk(word) and not _EVENT_WORD.fullmatch(word)] if chinese \
        else [word.removesuffix("s") for word in re.findall(
            r"[a-z]{3,}", (match.group("subject_en") + " " + match.group("object_en")).lower())]
    return not any(word in words or word + "s" in words for word in named)


def _occurrences(text: str, word: str) -> list[int]:
    return [match.start() for match in re.finditer(re.escape(word), text)]


def _states_a_decision(text: str, events: tuple[str, ...]) -> bool:
    """Whether ``text`` states as taken a decision about what is asked.

    A sentence that proposes ("有建议称……应延长……") decides nothing, unless it refers to
    a decision as a fact ("根据大会第 74/247 号决议设立的……委员会"). The decision and an
    event of the question ("decide to extend" is extending) must be in one clause:
    "鉴于大会通过了第 74/247 号决议，专家组的工作没有必要延续到 2021 年以后" adopts a
    resolution, it does not extend the group's work.
    """
    asked = [name for name in events if name != "decide"] or list(events)
    for sentence in _SENTENCE_END.split(text):
        proposes = _PROPOSAL.search(sentence) is not None
        for clause in _CLAUSE_BREAK.split(sentence):
            if asked and not any(_EVENT_EVIDENCE[name].search(clause) for name in asked):
                continue
            if _DECIDED_FACT.search(clause) or (_DECISION.search(clause) and not proposes):
                return True
    return False


def _lists_others(sentence: str, predicates: tuple[str, ...]) -> bool:
    """Whether ``sentence`` is a list introduced as doing something else than
    ``predicates`` ("下列会员国的专家作了发言：……" for a question about who proposed).
    """
    for introduction in _list_introductions(sentence):
        done = _predicates_of(introduction)
        if done and not done & set(predicates):
            return True
    return False


def _has_english_name(text: str) -> bool:
    return any(_names_someone(match.group()) for match in _EN_NAME.finditer(text))


def _has_attribution(text: str) -> bool:
    """Whether the passage says what a named state, organisation or person said."""
    if _ATTRIBUTION_EN.search(text):
        return True
    offset = 0
    for word, flag in _tags(text):
        offset += len(word)
        if (flag in _SPEAKER_TAGS and word not in _NOT_SPEAKERS
                and _ATTRIBUTION_ZH.match(text, offset)):
            return True
    return False


@functools.lru_cache(maxsize=4096)
def _tags(text: str) -> tuple[tuple[str, str], ...]:
    """The (word, part-of-speech) pairs jieba gives; cached, as the same paragraphs recur."""
    if not has_cjk(text):
        return ()
    ensure_jieba()
    # jieba's tagger shares state between threads; one tagging at a time.
    with _posseg_lock:
        return tuple((pair.word, pair.flag) for pair in jieba.posseg.cut(text))
