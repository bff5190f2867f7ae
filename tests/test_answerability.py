"""The answer-type test: does a passage hold the kind of answer a question asks for?

Unit tests on real report text (the seed's paragraphs), and the answerer's behaviour
with it on the hashing embedder. The slow tier (tests/test_answerer.py) checks the same
on the dev set with the bundled model.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from embeddings import make_embedder
from index.model import Document, Paragraph
from index.parser import parse_file
from index.store import Index, write_index
from service.answerability import (
    ACCESSION,
    CASE,
    DATE,
    DEFINITION,
    DOCUMENTS,
    DURATION,
    LIST,
    MANNER,
    MONEY,
    OUTCOME,
    PENALTY,
    PERSON,
    PLACE,
    PROVISION,
    QUANTITY,
    SEAT,
    SPEAKER,
    STATE,
    TIME,
    UNTIL,
    VIEW,
    VOTES,
    profile_question,
    question_parts,
    refers_back,
)
from service.answerer import Answer, Answerer
from tests.support import SEED, SEED_DOC_ID


@pytest.fixture(scope="module")
def paragraphs() -> dict[int, str]:
    return {p.number: p.text for p in parse_file(SEED).paragraphs}


@pytest.mark.parametrize(("question", "types"), [
    ("报告建议互联网服务供应商应将用户数据保留多长时间？", (DURATION,)),
    ("For how many years must the data be kept?", (DURATION,)),
    ("Within how many days must a central authority respond to a request?", (DURATION,)),
    ("会议将持续多长时间？", (UNTIL,)),
    ("How long must the ad hoc committee wait?", (UNTIL,)),
    ("第74/247号决议是哪一天通过的？", (DATE,)),
    ("On what date was the resolution adopted?", (DATE,)),
    ("What is the deadline for States to join the Budapest Convention?", (TIME,)),
    ("Which States welcomed the adoption of the resolution?", (STATE,)),
    ("哪些国家的专家认为应延长任务期限？", (STATE,)),
    ("At the meeting, who proposed extending the mandate?", (SPEAKER,)),
    ("What was the position of the Council of Europe on a new convention?", (VIEW,)),
    ("欧洲联盟代表在会上支持延长专家组任务期限吗？", (VIEW,)),
    ("Where will the first regional technical unit be based?", (PLACE,)),
    ("专家组共有多少名成员？", (QUANTITY,)),
    ("How many countries have ratified the Budapest Convention?", (QUANTITY,)),
    # Statistics and states parties are counted too, whatever modifies the noun.
    ("How many cybercrime-related mutual legal assistance requests were sent in 2019?",
     (QUANTITY,)),
    ("How many offences were prosecuted?", (QUANTITY,)),
    ("《布达佩斯公约》目前共有多少个缔约国？", (QUANTITY,)),
    ("2019 年共发生了多少起网络犯罪案件？", (QUANTITY,)),
    ("专家组 2021 年的预算经费是多少？", (MONEY,)),
    ("How much funding does the expert group have?", (MONEY,)),
    ("专家组下一次会议将于何时举行？", (TIME,)),
    ("By what deadline must the committee finish?", (TIME,)),
    ("《联合国打击跨国有组织犯罪公约》是哪一年通过的？", (TIME,)),
    ("特设委员会的谈判会议将在哪个城市举行？", (PLACE,)),
    ("Where will the ad hoc committee hold its first session?", (PLACE,)),
    ("When and where will the expert group hold its next session?", (TIME, PLACE)),
    ("Which delegation proposed extending the mandate?", (STATE,)),
    ("哪个国家提议将主权问题列入新公约？", (STATE,)),
    ("主张把主权原则适用于网络空间的是哪些国家的代表团？", (STATE,)),
    ("本次专家组会议由谁担任主席？", (SPEAKER,)),
    ("专家组下一届会议何时举行，报告有说明吗？", (TIME,)),
    ("Who chaired the meeting of the expert group?", (SPEAKER,)),
    ("What position did the United States take on the new convention?", (VIEW,)),
    ("What was the European Union's position on a new convention?", (VIEW,)),
    ("What did the observer from Beijing Normal University say?", (VIEW,)),
    ("欧洲联盟代表在发言中对拟订新公约持什么态度？", (VIEW,)),
    ("中国专家在会上对《布达佩斯公约》是什么态度？", (VIEW,)),
    ("北京师范大学那位观察员在发言中具体讲了哪些观点？", (VIEW,)),
    ("《联合国打击跨国有组织犯罪公约》中关于司法协助的条款规定了哪些内容？", (PROVISION,)),
    ("Which offences does the UN Convention against Corruption require states to criminalize?",
     (PROVISION,)),
    ("What's the deadline for the ad hoc committee to finish the convention?", (TIME,)),
    ("Please list the states that have ratified the Budapest Convention.", (LIST,)),
    ("Which countries have signed the new convention so far?", (LIST,)),
    ("哪些国家批准了《布达佩斯公约》？", (LIST,)),
    ("预防犯罪和刑事司法委员会最终是否决定延长专家组的任务期限？", (OUTCOME,)),
    ("Did the Commission eventually extend the group's mandate?", (OUTCOME,)),
    ("Did the expert group adopt this report by consensus?", (MANNER,)),
    ("这份报告是否以协商一致方式通过？", (MANNER,)),
    ("Why did Iran object to treating the Budapest Convention as the standard?", (VIEW,)),
    ("请概述欧洲联盟代表在会上发言的主要内容。", (VIEW,)),
    ("中国专家在这次会议上具体提出了哪些建议？", (VIEW,)),
    ("互联网服务供应商如果拒绝配合执法机关调取数据，报告建议给予什么处罚？", (PENALTY,)),
    ("What penalty should providers that refuse to cooperate face?", (PENALTY,)),
    ("How should those responsible for state-sponsored attacks be punished?", (PENALTY,)),
    ("If a country is not a member of the Council of Europe, what steps does it have to go "
     "through to accede to the Budapest Convention?", (ACCESSION,)),
    ("How can a State become a party to the Budapest Convention?", (ACCESSION,)),
    ("非欧洲委员会成员国如何加入《布达佩斯公约》？", (ACCESSION,)),
    ("北京师范大学派来发言的那位观察员叫什么名字？", (PERSON,)),
    ("What was the name of the observer from Beijing Normal University?", (PERSON,)),
    # A budget or a cost is an amount of money, however it is asked.
    ("What was the expert group's budget for 2020?", (MONEY,)),
    ("Roughly how much did ransomware attacks cost businesses worldwide in 2020?", (MONEY,)),
    ("网络犯罪每年给全球造成的经济损失是多少？", (MONEY,)),
    ("欧洲刑警组织的欧洲网络犯罪中心设在哪里？", (SEAT,)),
    ("Who was the head of the Chinese delegation?", (PERSON,)),
    ("How much should Member States invest in centralized cybercrime units?", (MONEY,)),
    ("新公约草案对网上性剥削儿童的犯罪规定了多长的刑期？", (PENALTY,)),
    ("Does the report recommend specific prison sentences for these offences?", (PENALTY,)),
    ("报告对“网络犯罪”一词是如何下定义的？", (DEFINITION,)),
    ("How does the report define cybercrime?", (DEFINITION,)),
    ("What is the definition of electronic evidence used in the report?", (DEFINITION,)),
    ("What was the recorded vote when the General Assembly adopted resolution 74/247?",
     (VOTES,)),
    ("第74/247号决议的表决结果如何？", (VOTES,)),
    ("代表国际刑警组织发言的是谁？", (PERSON,)),
    ("Who spoke on behalf of INTERPOL?", (SPEAKER, PERSON)),
    # Who among those who spoke opposed; which companies were named; a deadline set as a
    # length of time; who holds an office; what a national Act requires.
    ("在发言的会员国中，具体是哪个国家最坚决反对延长专家组的任务期限？", (STATE,)),
    ("Which specific internet service providers were named as refusing to cooperate?",
     (SPEAKER,)),
    ("What maximum deadline does the report set for responding to a request?", (UNTIL,)),
    ("Who is the current Executive Director of the UN Office on Drugs and Crime?", (PERSON,)),
    ("联合国毒品和犯罪问题办公室的执行主任是谁？", (PERSON,)),
    ("What does the US CLOUD Act require of service providers storing data abroad?",
     (PROVISION,)),
    # What a national Directive imposes is a provision; a chair held by a State is asked
    # of the chair; finalising is an end.
    ("What data retention obligations does the EU ePrivacy Directive impose on providers?",
     (PROVISION,)),
    ("What deadline does resolution 74/247 set for the committee to finalize the convention?",
     (TIME,)),
    # What a named non-treaty text commits its supporters to is a provision too.
    ("What does the Paris Call for Trust and Security in Cyberspace commit its supporters "
     "to?", (PROVISION,)),
    # Real cases asked for; a budget allocated; a named party's proposals and
    # stance asked with an adjective between; whether a named party took a side.
    ("报告有没有举出勒索软件攻击或利用加密货币洗钱的具体案例？", (CASE,)),
    ("Does the report give any concrete examples of ransomware attacks?", (CASE,)),
    ("What budget was allocated to the Expert Group for its post-2021 work plan?", (MONEY,)),
    ("中国专家在发言中具体主张新公约应包含哪些条款？", (VIEW,)),
    ("中国专家在会上对拟订新公约持什么具体立场？", (VIEW,)),
    ("Did the United States support using the Budapest Convention as the basis for the new "
     "treaty?", (VIEW,)),
    ("Did the Islamic Republic of Iran oppose the extension?", (VIEW,)),
    ("Did China strongly oppose extending the mandate?", (VIEW,)),
    ("至于中国专家持什么立场？", (VIEW,)),
    # From holdout25 and 26: which State's expert proposed; a number of days as a time
    # limit; the papers a procedure requires.
    ("Which country's expert proposed extending the expert group's mandate beyond 2021?",
     (STATE,)),
    ("What is the maximum number of days a state has to respond to an MLA request?",
     (DURATION,)),
    ("我国办案机关提出司法协助请求时，具体需要准备哪些材料、走什么流程？", (DOCUMENTS,)),
    ("What documentation is needed to send an MLA request?", (DOCUMENTS,)),
    # From holdout29 and 30 (read after their blind score).
    ("What budget estimate does the report give for the negotiations?", (MONEY,)),
    ("What is the penalty under the Budapest Convention for illegal access?",
     (PENALTY, PROVISION)),
    ("Which countries have already set up regional investigation units?", (STATE,)),
    ("When does the e-Evidence regulation take effect?", (TIME,)),
    # From holdout31 and 32 (read after their blind score).
    ("Were these recommendations formally adopted by consensus or by a vote?", (MANNER,)),
    ("What data retention period did the experts recommend for providers?", (DURATION,)),
], ids=lambda value: value if isinstance(value, str) and len(value) < 20 else None)
def test_questions_that_ask_for_a_kind_of_answer(question: str, types: tuple[str, ...]) -> None:
    assert profile_question(question).types == types


@pytest.mark.parametrize("question", [
    # Open questions, and question words inside a subordinate clause.
    "直接发出出示令时，建议以哪国的立法为基准？",
    "有呼吁称哪些国家应积极参与特设委员会拟订新公约的工作？",
    "如果无法确定罪案发生在何处，报告建议怎样决定由谁来推进调查？",
    "这样做可以让各方把精力集中在哪些事情上？",
    "如果查不清违法行为究竟发生在哪里，报告设想的机制要求先弄清什么？",
    "中央机关几乎承担了哪些职能？",
    "When it is unclear where the data sits, what mechanism was proposed?",
    "Who could train practitioners at home and abroad?",
    "For direct production orders, whose legislation was suggested as the benchmark?",
    "What does the report say about sovereignty?",
    # A view asked of no named party.
    "一些会员国对第 74/247 号决议持什么态度？",
    "What did the speakers say about the Budapest Convention?",
    "What position did member states take on resolution 74/247?",
    # Why an instrument is cited is not what it provides.
    "为什么《布达佩斯公约》在获取电子证据方面被着重强调？",
    "Why was the Budapest Convention highlighted as the standard for electronic evidence?",
    # Why unnamed speakers held a view; what was recommended in the end; whether decisions
    # should be taken by consensus: proposals, which the report records.
    "Why did some delegations think the expert group could wrap up its work?",
    "In the end, what did the speakers recommend about capacity-building?",
    "Should decisions on the new convention be taken by consensus?",
    "新公约的谈判是否应以协商一致为基础？",
    # The name of a thing, not of a person.
    "这个机构叫什么名字？",
    "What is the name of the convention highlighted as the standard?",
    # Joining the work on a convention is not joining the convention.
    "How should countries join the work of drafting the new convention?",
    "会员国应如何加入新公约的拟订工作？",
    # A question word in a topic clause ("关于……") is the topic, not what is asked.
    "关于特设委员会何时开始工作，发言中出现了哪些不同主张？",
    # "Specific terms" are no sentence; a budget argument is no budget; a voting
    # procedure is no vote count; defining a role is describing it; who spoke on behalf
    # of a class of bodies is answered by the list of them.
    "What should the workplan cover, in specific terms?",
    "Did the speakers call for the report to define the offences?",
    # Proposals asked of no named party, of the meeting itself, or about a topic that
    # names one ("就中国等会员国关心的主权问题").
    "维也纳会议提出了哪些建议？",
    "关于国际合作，发言者提出了哪些建议？",
    "2020年7月在维也纳召开的专家组会议提出了哪些建议？",
    "就中国等会员国关心的主权问题提出了哪些建议？",
    "就联合国大会第74/247号决议设立的特设委员会提出了哪些建议？",
    # An Internet Protocol address is no protocol to a convention.
    "When the Internet Protocol address does not reveal where the data is, what framework "
    "does the report recommend?",
    "What was the budget argument against extending the expert group's mandate?",
    "What is the voting procedure recommended for negotiating the new convention?",
    "How does the report define the role of central authorities?",
    "报告如何界定私营部门实体的责任？",
    "政府间组织派出的代表是谁？",
    # "For example" in passing asks for no case, nor do examples of a topic or the cases
    # in which States should assist each other; whether Member States (no one in particular)
    # supported something, or experts (none named) proposed it, is a proposal the report
    # records; resources committed are not a budget.
    "What kind of capacity-building, for example training, should specialised units give?",
    "What are some examples of topics that could be included in a new convention?",
    "In what specific cases should States provide mutual legal assistance?",
    "Did Member States support the Budapest Convention as a model?",
    "专家组建议会员国考虑设立哪些单位？",
    "一些专家主张新公约应包含哪些议题？",
    "What resources were Member States asked to commit?",
    # Forms of crime and documents cited are no papers required.
    "Which forms of cybercrime should the work plan cover?",
    "What documents does the report cite as models?",
    "会员国应维护什么资料？",
    "会员国要维护什么资料？",
    "What documents does the report describe as models?",
    # An eleventh, fresh-eyes review's probes: kinds of case and cases as a setting; papers
    # a body submits or a treaty considers; documents and a community as no party; a
    # venue however the meeting follows; what should be funded is a recommendation.
    "一个案件涉及多个国家时应以哪国立法为基准？",
    "每个案件都需要司法协助吗？",
    "会员国应在哪些具体案件中相互提供司法协助？",
    "在具体案件中如何获取电子证据？",
    "In real cases, how should states obtain electronic evidence?",
    "Give an example of cases in which Member States should provide MLA.",
    "新公约需要考虑哪些文件？",
    "专家组在2021年要向预防犯罪和刑事司法委员会提交什么文件？",
    "会员国需要提供哪些资料来审查司法协助的效率？",
    "Do the Preliminary Recommendations support the Budapest Convention?",
    "Do the Vienna Conclusions call for separate units?",
    "Does the International Community support capacity building?",
    "Does the Open-Ended Intergovernmental Expert Group support capacity building?",
    "2020年维也纳专家组会议的与会专家主张什么？",
    "维也纳与会专家持什么立场？",
    "What funding should Member States provide for specialized cybercrime teams?",
    "What funding should be given to the new cybercrime units?",
    # A count kept, not asked for (holdout32).
    "Did the experts suggest any way of keeping tabs on how many requests go in and out?",
    "Should States keep track of how many requests they receive?",
])
def test_open_questions_ask_for_no_particular_kind(question: str) -> None:
    assert profile_question(question).types == ()


# Answerable questions written to provoke the rules (two reviews found each of these
# refused by an earlier version): each must pass on the paragraph(s) that answer it.
ANSWERABLE_PHRASINGS = [
    ("哪几个国家的专家在会上作了发言？", [16]),
    ("哪几项议题被建议列入可能的新公约？", [6]),
    ("哪几项联合国公约的缔结进程可作为拟订新公约的范例？", [4]),
    ("发言的会员国专家中，有几位来自亚洲国家？", [16]),
    ("共有多少个会员国的专家作了发言？", [16]),
    ("报告是否多少提到了恐怖主义案件中的司法协助？", [8]),
    ("《布达佩斯公约》作为获取电子证据的标准已有多长时间？", [13]),
    ("《布达佩斯公约》这几年在获取电子证据方面发挥了什么作用？", [13]),
    ("观察员来自哪里？", [17]),
    ("报告建议在哪里设立单独的打击网络犯罪单位？", [10]),
    ("专门知识中心应设在哪里？", [10]),
    ("报告在哪段提到了恐怖主义？", [8]),
    ("报告哪里提到了网上性虐待和性剥削儿童问题？", [1, 7]),
    ("报告认为目前司法协助请求处理的问题出在哪里？", [12]),
    ("在中央机关内部设立单独的打击网络犯罪单位，好处在哪里？", [10]),
    ("关于专家组是否延续到 2021 年以后，两种意见的分歧在哪里？", [1, 3]),
    ("不知道数据存放在哪里的情况下报告建议建立什么样的框架？", [14]),
    ("如果查不清违法行为究竟发生在哪里，报告设想的机制要求先弄清什么？", [14]),
    ("《布达佩斯公约》促使哪里的执法机构取得了切实成果？", [13]),
    ("专家组应在 2021 年向谁提交建议？", [2]),
    ("报告向哪些国家提出了建立电子数据库的建议？", [11]),
    ("印尼专家是否在会上发言？", [16]),
    ("大不列颠及北爱尔兰联合王国的专家是否作了发言？", [16]),
    ("在维也纳举行的这次会议上，哪些国家的专家作了发言？", [16]),
    ("与会者对《布达佩斯公约》持什么看法？", [13]),
    ("报告对《布达佩斯公约》持什么态度？", [13]),
    ("在《布达佩斯公约》之外，报告对出示令的立法基准规定了什么？", [13]),
    ("大会第 74／247 号决议设立的委员会负责拟订什么公约？", [2]),
    ("根据第 74/247 号决议设立的特设委员会应在什么时候才开始工作？", [2]),
    ("What period should the Commission's new work plan for the expert group cover?", [1]),
    ("How many member States' experts made statements?", [16]),
    ("How many topics were proposed for inclusion in a possible new convention?", [6]),
    ("How long has the Budapest Convention been the standard for obtaining electronic "
     "evidence?", [13]),
    ("How much does the report rely on the Budapest Convention?", [13]),
    ("Regardless of how many States have joined it, why was the Budapest Convention "
     "highlighted?", [13]),
    ("Where should Member States set up a separate cybercrime unit?", [10]),
    ("Where did the observer who made a statement come from?", [17]),
    ("Where does the report stand on state-sponsored cyberattacks?", [15]),
    ("Where do the two views on extending the expert group's mandate differ?", [1, 3]),
    ("What did those who opposed extending the mandate argue?", [3]),
    ("What did delegations who called for extending the mandate want the work plan to "
     "include?", [1]),
    ("Which body are recommendations submitted to in 2021?", [2]),
    ("What are Member States' views on extending the expert group's mandate?", [1, 3]),
    ("What are the Expert Group's views on capacity-building?", [7]),
    ("What position did Member States take on resolution 74/247?", [4]),
    ("What did Member States say about resolution 74/247?", [4]),
    ("What does the UN report say about capacity-building?", [7]),
    ("What did the Expert Group propose about central authorities?", [10, 12]),
    ("What did States propose regarding the content of a new convention?", [6]),
    ("What do Member States need to provide to each other?", [8]),
    ("What do Member States require from private sector entities?", [8]),
    ("What does General Assembly resolution 74/247 provide for?", [2]),
    ("What did the General Assembly set out in resolution 74/247?", [2]),
    ("When should the ad hoc committee established under resolution 74/247 begin its work?",
     [2]),
    ("Who took the floor at the meeting: which member states and organizations?", [16]),
    # From a second review.
    ("在什么时候应以嫌疑人所在国的立法为基准？", [13]),
    ("什么时候需要着手确定哪一个领土受到影响？", [14]),
    ("私营部门实体在什么时候有责任与国家机关合作？", [8]),
    ("When may a State rely on the law of the place where the service provider is located?",
     [13]),
    ("When should production orders be based on the legislation of the suspect's State?",
     [13]),
    ("When does the proposed framework require determining which territory is affected?",
     [14]),
    ("Which day-to-day practice would the specialized units facilitate?", [10]),
    ("特设委员会要等多久才能开始工作？", [2]),
    ("专家组的工作需要持续多长时间？各方意见如何？", [1, 3]),
    ("How long should the expert group's mandate last, according to the statements?", [1, 3]),
    ("How long should the ad hoc committee wait before starting its work?", [2]),
    ("For how many years has the Budapest Convention served as the standard?", [13]),
    ("专家组的工作计划涉及哪几年？", [1]),
    ("专家组的工作计划应涵盖几个议题？", [1]),
    ("新公约的谈判可以借鉴几项联合国公约的经验？", [4]),
    ("报告建议会员国投入资源建立几种专业队伍或单位？", [9]),
    ("有多少种意见涉及专家组2021年以后是否继续工作？", [1, 3]),
    ("How many topics should the expert group's post-2021 work plan include?", [1]),
    ("How many UN conventions are cited as models for negotiating the new convention?", [4]),
    ("How many types of specialized units should Member States consider investing in?", [9]),
    ("How many of the recommendations address online child sexual abuse and exploitation?",
     [1, 7]),
    ("报告从几个方面论述了中央机关的作用？", [12]),
    ("Where should the separate cybercrime units be located?", [10]),
    ("Where should the dedicated cybercrime unit sit within government?", [10]),
    ("What is the cost argument made against continuing the expert group beyond 2021?", [3]),
    ("报告对布达佩斯公约持什么看法？", [13]),
    ("报告对欧洲委员会的《布达佩斯公约》持什么看法？", [13]),
    ("What is the Expert Group on Cybercrime's view on capacity-building?", [7]),
    ("What did the Expert Group on Cybercrime suggest about mutual legal assistance in "
     "terrorism cases?", [8]),
    ("What does the UNODC report say about central authorities and cybercrime units?",
     [10, 12]),
    ("What did the Vienna meeting say about statistics on mutual legal assistance?", [11]),
    ("What position does the Budapest Convention hold in obtaining electronic evidence?", [13]),
    ("What did the speakers who mentioned the Budapest Convention suggest about conflicts of "
     "law?", [13]),
    ("不管美国持什么态度，报告建议新公约列入哪些议题？", [6]),
    ("According to UNODC/CCPCJ/EG.4/2020/2, what should happen to those responsible for "
     "state-sponsored attacks?", [15]),
    ("In section 4 of the report, which organizations are listed as having spoken?", [17]),
    ("What committee did resolution 74/247 of 27/12/2019 establish?", [2]),
    ("What should the 2021/2022 work plan include?", [1]),
    ("What model does the Convention against Corruption provide for the negotiations?", [4]),
    # A date in a sentence about the event asked of (paragraph 2: the committee begins
    # its work after the group completes its recommendations and submits them in 2021).
    ("When will the expert group submit its recommendations to the Commission?", [2]),
    ("专家组应在哪一年完成其建议？", [2]),
    ("特设委员会应当在何时开始开展工作？", [2]),
    ("What year should the Commission's decision on the work plan look beyond?", [1]),
    # Lists of those who spoke, asked about as such.
    ("Please list the intergovernmental organizations that made statements.", [17]),
    ("列出作了发言的政府间组织。", [17]),
    ("共有几个政府间组织的代表发了言？", [17]),
    ("How many Member States' experts took the floor?", [16]),
    # An outcome the report does state: the General Assembly adopted the resolution.
    ("Did the General Assembly finally adopt resolution 74/247?", [3]),
    # Being held to account is what paragraph 15 says should happen to them.
    ("How should those responsible for state-sponsored attacks be punished?", [15]),
    ("国家支持的攻击活动的责任人应受到什么处罚？", [15]),
]


# A third review wrote about a hundred answerable questions around the event, list,
# outcome, manner and view rules; these were refused by their first version.
ANSWERABLE_PHRASINGS += [
    ("When do some speakers think the expert group's work should end?", [3]),
    ("专家组的工作应在哪一年结束？", [3]),
    ("When does the expert group's current mandate expire?", [1, 3]),
    ("专家组的任务期限在哪一年到期？", [1, 3]),
    ("In what year should the expert group finish its work, according to those who cited "
     "resolution 74/247?", [3]),
    ("From what year should the expert group's new work plan start?", [1]),
    ("专家组新的工作计划应从哪一年开始？", [1]),
    ("What body was eventually established under resolution 74/247?", [2]),
    ("Eventually, which body was established to draft a comprehensive convention on ICT "
     "crime?", [2]),
    ("大会最终决定设立什么委员会？", [2]),
    ("Which committee will ultimately draft the convention established by resolution "
     "74/247?", [2]),
    ("Should the Commission eventually extend the expert group's mandate, according to some "
     "statements?", [1]),
    ("Ultimately, what should the Commission decide about the group's work plan after 2021?",
     [1]),
    ("Was it suggested that the new convention be adopted by consensus?", [4]),
    ("Has anyone suggested that the new convention be agreed by consensus?", [4]),
    ("是否有发言主张新公约以协商一致方式通过？", [4]),
    ("新公约应以协商一致方式通过吗？", [4]),
    ("有会员国是否希望新公约经协商一致通过？", [4]),
    ("Why did some speakers in Vienna oppose continuing the Expert Group's work beyond 2021?",
     [3]),
    ("Why did some experts from European countries oppose extending the Expert Group's "
     "mandate?", [3]),
    ("维也纳会议上一些国家为什么反对延续专家组的工作？", [3]),
    ("请概述在维也纳举行的专家组会议上各国发言的主要内容。", [1, 2, 3, 4]),
    ("请概述亚洲和欧洲各国专家发言的主要内容。", [1, 2, 3, 4, 5, 6]),
    ("Why did experts from Latin American countries support strengthening mutual legal "
     "assistance?", [8]),
    ("Why did some States in the Asia-Pacific region object to extending the mandate?", [3]),
    ("请列出报告对会员国提出的建议。", [8, 9, 10, 11, 12]),
    ("列出会员国应考虑采取的措施。", [9, 10, 11]),
    ("哪些会员国应加入新公约的拟订工作？", [5]),
    ("委员会最终决定的工作计划应当涵盖哪些内容？", [1]),
    ("What year must the Expert Group finish its work by, according to those who welcomed "
     "the new resolution?", [3]),
    ("How many Member States participated in the discussion?", [16]),
    # A sixth review's phrasings around the money, seat, penalty, definition, vote-count
    # and on-behalf-of rules (the report answers each).
    ("What were the budget concerns raised about continuing the expert group's work "
     "beyond 2021?", [3]),
    ("What is the impact on the budget of not extending the expert group's work?", [3]),
    ("What was the budget argument against extending the expert group's mandate?", [3]),
    ("What is the budget-related reason some experts gave for ending the group's work?", [3]),
    ("What is the effect on the budget of focusing on the new convention instead of "
     "the expert group?", [3]),
    ("How much did the experts stress cost when arguing against extending the group's work?", [3]),
    ("报告在预算方面有什么考虑？", [3]),
    ("What resources should Member States invest in to fight cybercrime?", [9]),
    ("单独的打击网络犯罪单位设在哪里？", [10]),
    ("专门知识中心设在哪里？", [10]),
    ("按照报告的建议，打击网络犯罪的专门单位设在什么地方？", [10]),
    ("根据报告，单独的打击网络犯罪单位设在何处？", [10]),
    ("报告建议把单独的打击网络犯罪单位设在哪里？", [10]),
    ("Where should Member States set up a separate cybercrime unit?", [10]),
    ("What specific penalties does the report recommend for those responsible for "
     "State-sponsored attacks?", [15]),
    ("Does the report call for particular sanctions against those behind "
     "State-sponsored cyberattacks?", [15]),
    ("Did the experts propose a specific term for extending the expert group's mandate?", [1, 3]),
    ("Is there a maximum term for the expert group's work, according to the report?", [3]),
    ("Which specific sentences of the report deal with the Budapest Convention?", [13]),
    ("Quote the exact sentence about the role of central authorities.", [12]),
    ("What particular sentence in the report concerns the ad hoc committee's start date?", [2]),
    ("对国家支持的攻击活动的责任人，报告主张怎样的量刑？", [15]),
    ("国家支持的网络攻击的责任人应受到什么样的处罚？", [15]),
    ("How was the work of the ad hoc committee defined?", [2]),
    ("How does the report define the role of central authorities?", [12]),
    ("How is the scope of a possible new convention defined by the experts?", [6]),
    ("How are the priorities of the international community defined in the report?", [7]),
    ("How does the report define the function of a separate cybercrime unit?", [10]),
    ("What is meant by a 'centre of expertise' in the report?", [10]),
    ("特设委员会的工作是如何定义的？", [2]),
    ("报告如何界定私营部门实体的责任？", [8]),
    ("报告怎样界定中央机关的作用？", [12]),
    ("报告对新公约应涵盖的内容是如何界定的？", [6]),
    ("What is the voting procedure recommended for negotiating the new convention?", [4]),
    ("What was the voting method the experts favoured for the new convention?", [4]),
    ("What is the vote requirement for elaborating the new convention under "
     "resolution 74/247?", [4]),
    ("新公约谈判应采用投票表决还是协商一致？", [4]),
    ("拟订新公约时，表决情况应如何处理？", [4]),
    ("Who spoke on behalf of intergovernmental organizations?", [17]),
    ("Who spoke on behalf of Member States?", [16]),
    ("Who were the representatives of intergovernmental organizations at the meeting?", [17]),
    ("Who were the speakers from intergovernmental organizations?", [17]),
    ("Who was present for the discussion of the report?", [16, 17]),
    ("Who attended for academia?", [17]),
    ("Who was the representative of academia at the meeting?", [17]),
    ("代表政府间组织发言的是谁？", [17]),
    ("谁代表会员国发言？", [16]),
    ("政府间组织派出的代表是谁？", [17]),
    ("Which intergovernmental organizations had representatives who spoke?", [17]),
    ("Who were the observers from universities?", [17]),
    ("Who attended on behalf of intergovernmental organizations?", [17]),
    ("Who was present on behalf of civil society or academia?", [17]),
    ("Who were the delegates from Asia who spoke?", [16]),
    ("What is the budget-saving argument for focusing on the new convention?", [3]),
    ("How did Member States react to the adoption of resolution 74/247?", [4]),
    ("What was the vote of confidence given to resolution 74/247 by some Member States?", [4]),
    ("How is the work of the ad hoc committee to be based, consensus or vote?", [4]),
    ("What is the practical definition of the private sector's duty in paragraph 8?", [8]),
    ("报告对打击网络犯罪单位的职能作了什么样的定义？", [10]),
    ("在地点不明的情况下，如何界定受影响的领土？", [14]),
]


@pytest.mark.parametrize(("question", "numbers"), ANSWERABLE_PHRASINGS,
                         ids=[q for q, _ in ANSWERABLE_PHRASINGS])
def test_answerable_phrasings_pass_on_the_paragraph_that_answers(
        paragraphs: dict[int, str], question: str, numbers: list[int]) -> None:
    profile = profile_question(question)
    for number in numbers:
        assert profile.missing(paragraphs[number]) == [], (profile, number)


def test_english_passages_are_read_too() -> None:
    attendance = ("Statements were made by experts from the following Member States: "
                  "Australia, Austria, China and France.")
    assert profile_question("Which countries took the floor?").missing(attendance) == []
    assert profile_question("哪些国家的代表团提出了发言？").missing(attendance) == []
    assert profile_question("How many Member States spoke?").missing(attendance) == []
    assert profile_question("Where will the committee meet?").missing(
        "The committee was established in General Assembly resolution 74/247.") == ["a place"]
    assert profile_question("Where will the committee meet?").missing(
        "The committee will meet in Vienna.") == []


def test_a_date_answers_when_only_in_a_sentence_about_the_event(
        paragraphs: dict[int, str]) -> None:
    # Paragraph 3's year is when the group's work need not go beyond, not a meeting's or
    # the convention's date.
    next_meeting = profile_question("专家组下一次会议将于何时举行？")
    assert next_meeting.events == ("meet",)
    assert next_meeting.missing(paragraphs[3]) == ["a date or time"]
    assert next_meeting.missing("专家组下一次会议将于 2021 年 4 月在维也纳举行。") == []
    in_force = profile_question("In what year will the new convention enter into force?")
    assert in_force.events == ("force",)
    assert in_force.missing(paragraphs[3]) == ["a date or time"]
    assert in_force.missing("The convention is expected to enter into force in 2023.") == []
    # An end point said as how far something goes on: "没有必要延续到 2021 年以后".
    assert profile_question("专家组的工作应在哪一年结束？").missing(paragraphs[3]) == []
    assert profile_question("When does the expert group's mandate end?").missing(
        "The expert group's mandate runs to 2021.") == []
    # A question that names no event takes any date, as before.
    assert profile_question("专家组的工作在哪一年以后没有必要延续？").missing(paragraphs[3]) == []


@pytest.mark.parametrize(("question", "number", "answers"), [
    ("How many countries are currently parties to the Budapest Convention?", 16, False),
    ("How many countries have ratified the Budapest Convention?", 16, False),
    ("专家组本次维也纳会议共有多少名与会者出席？", 16, False),
    ("这次维也纳会议一共有多少名代表到场参会？", 17, False),
    ("Please list the states that have ratified the Budapest Convention.", 16, False),
    ("哪些国家批准了《布达佩斯公约》？", 16, False),
    ("Which organizations have signed the Budapest Convention?", 17, False),
    ("How many Member States' experts made statements?", 16, True),
    ("Please list the intergovernmental organizations that made statements.", 17, True),
])
def test_a_list_answers_only_about_what_those_listed_did(
        paragraphs: dict[int, str], question: str, number: int, answers: bool) -> None:
    # Paragraphs 16 and 17 list who spoke ("下列会员国的专家作了发言：……"), not who ratified
    # a treaty, is a party to it or attended.
    assert (profile_question(question).missing(paragraphs[number]) == []) is answers


def test_a_penalty_or_a_way_to_join_a_treaty_needs_a_passage_that_says_so(
        paragraphs: dict[int, str]) -> None:
    penalty = profile_question("服务供应商如果拒绝配合执法机关调取数据，报告建议给予什么处罚？")
    # Paragraph 13 asks providers to cooperate; it names no penalty.
    assert penalty.missing(paragraphs[13]) == ["a penalty or sanction"]
    assert penalty.missing("拒不配合的服务提供商应处以罚款。") == []
    accede = profile_question("How can a State become a party to the Budapest Convention?")
    # Paragraph 13 praises the Convention; it says nothing of joining it.
    assert accede.missing(paragraphs[13]) == ["how a State joins an instrument"]
    assert accede.missing("Any State may accede to the Convention once invited by the "
                          "Committee of Ministers.") == []


def test_a_definition_a_vote_count_or_a_sentence_needs_a_passage_that_gives_one(
        paragraphs: dict[int, str]) -> None:
    # Paragraph 1 speaks of cybercrime and of offences against children; it defines
    # neither and sets no penalty. Paragraph 3 cites resolution 74/247, not its vote.
    define = profile_question("报告对“网络犯罪”一词是如何下定义的？")
    assert define.missing(paragraphs[1]) == ["a definition"]
    assert define.missing("本报告所称“网络犯罪”，是指利用信息和通信技术实施的犯罪。") == []
    assert profile_question("How does the report define cybercrime?").missing(
        "For the purposes of this report, cybercrime means crime committed online.") == []
    votes = profile_question("What was the recorded vote on resolution 74/247?")
    assert votes.missing(paragraphs[3]) == ["a count of votes"]
    assert votes.missing("Resolution 74/247 was adopted by 79 votes to 60, with 33 "
                         "abstentions.") == []
    sentence = profile_question("新公约草案对网上性剥削儿童的犯罪规定了多长的刑期？")
    assert sentence.missing(paragraphs[1]) == ["a penalty or sanction"]


def test_a_representative_a_seat_or_a_budget_needs_a_passage_that_gives_one(
        paragraphs: dict[int, str]) -> None:
    # Who spoke for a body the question names: the body is no answer, a person is.
    behalf = profile_question("Who spoke on behalf of INTERPOL?")
    assert behalf.missing(paragraphs[17]) == ["a person's name"]
    # For a class of bodies, the list of them answers.
    assert profile_question("Who spoke on behalf of intergovernmental organizations?").missing(
        paragraphs[17]) == []
    # A seat may be the body something sits within (paragraph 10); the attendance lists
    # say where nothing is, though paragraph 16 names States.
    seat = profile_question("欧洲刑警组织的欧洲网络犯罪中心设在哪里？")
    assert seat.missing(paragraphs[17]) == ["where it is based"]
    assert seat.missing(paragraphs[16]) == ["where it is based"]
    assert seat.missing("欧洲网络犯罪中心设在荷兰海牙。") == []
    assert profile_question("专门的网络犯罪单位应设在哪里？").missing(paragraphs[10]) == []
    money = profile_question("What was the expert group's budget for 2020?")
    assert money.missing(paragraphs[3]) == ["an amount of money"]
    assert money.missing("The group's budget for 2020 was $1.2 million.") == []


def test_the_documents_a_procedure_requires_need_a_passage_that_names_them(
        paragraphs: dict[int, str]) -> None:
    papers = profile_question("提出司法协助请求时需要准备哪些材料？")
    # Paragraph 12 is about requests and procedure ("程序中的延误"), not what to enclose.
    assert papers.missing(paragraphs[12]) == ["the documents required"]
    assert papers.missing("请求应附上判决书副本和有关证明文件。") == []


def test_a_real_case_needs_a_passage_that_gives_one(paragraphs: dict[int, str]) -> None:
    cases = profile_question("报告有没有举出勒索软件攻击或利用加密货币洗钱的具体案例？")
    # Paragraph 8 names a kind of case ("涉及……恐怖主义的案件"), paragraph 10 an example
    # of help ("例如培训"); neither is a case.
    assert cases.missing(paragraphs[8]) == ["a real case or incident"]
    assert cases.missing(paragraphs[10]) == ["a real case or incident"]
    assert cases.missing("典型案例：2017 年某勒索软件攻击了多国医院。") == []
    assert profile_question("What real-world case studies does the report describe?").missing(
        "A case study: in 2019, a ransomware attack hit a hospital.") == []


@pytest.mark.parametrize(("question", "asks"), [
    ("个人遭遇网络诈骗后，应当如何向警方报案并保存电子证据？", True),
    ("How can victims of ransomware get their data back?", True),
    ("What should users do if their account is hacked?", True),
    # Whom States help is not who is to act; personal data is no person.
    ("各国应如何帮助受害者？", False),
    ("How should states protect victims?", False),
    ("个人数据应当如何保护？", False),
    ("我该如何防范勒索软件？", True),
    ("How can I protect my computer from ransomware?", True),
    # An official asking what to do asks what the reports recommend; finding something
    # out, a passive, civil society, a person's country or rights, or another subject
    # acting are no private person's advice.
    ("作为中央机关，我们应当如何传递司法协助请求？", False),
    ("How should I handle MLA requests to reduce delays?", False),
    ("网民如何理解“地点不明”？", False),
    ("公民社会应当如何参与新公约的谈判？", False),
    ("用户所在国的法律应该如何适用？", False),
    ("用户在境外时执法部门应如何获取电子证据？", False),
    ("How do I know whether China spoke?", False),
    ("公民应如何被保护？", False),
    ("受害者的权利应当如何保障？", False),
])
def test_what_a_private_person_should_do_needs_a_passage_that_mentions_one(
        paragraphs: dict[int, str], question: str, asks: bool) -> None:
    profile = profile_question(question)
    assert (profile.roles == ("individuals, victims or users",)) is asks
    if asks:
        # The report's recommendations are addressed to States and authorities.
        assert profile.missing(paragraphs[8]) == ["mention of individuals, victims or users"]
        assert profile.missing("受害人应立即向警方报案。 Victims should report it.") == []


def test_a_name_needs_a_passage_that_names_a_person(paragraphs: dict[int, str]) -> None:
    name = profile_question("北京师范大学派来发言的那位观察员叫什么名字？")
    # Paragraph 17 says an observer from the university spoke, not who.
    assert name.missing(paragraphs[17]) == ["a person's name"]
    assert name.missing("来自北京师范大学的张伟教授作了发言。") == []
    assert profile_question("What was the name of the observer?").missing(
        "An observer, Professor Zhang, made a statement.") == []


def test_a_list_of_speakers_does_not_say_who_proposed_something(
        paragraphs: dict[int, str]) -> None:
    proposer = profile_question("提出延长专家组任务期限的建议的是哪个国家的代表？")
    assert proposer.types == (STATE,)
    assert proposer.missing(paragraphs[16]) == ["a named state"]
    assert proposer.missing("澳大利亚代表提议延长专家组的任务期限。") == []
    assert profile_question("Which delegation proposed extending the mandate?").missing(
        "Statements were made by experts from the following Member States: Australia, "
        "Austria, China and France.") == ["a named state"]
    # Asked who spoke, the list answers.
    assert profile_question("Which countries took the floor?").missing(paragraphs[16]) == []


def test_a_list_introduced_as_what_was_asked_answers() -> None:
    ratified = ("The following States have ratified the Convention: Austria, China, "
                "France and Japan.")
    assert profile_question("Which countries have ratified the Convention?").missing(
        ratified) == []
    assert profile_question("How many States have ratified the Convention?").missing(
        ratified) == []
    assert profile_question("哪些国家批准了该公约？").missing(
        "下列国家批准了该公约：奥地利、中国和法国。") == []


def test_an_outcome_needs_a_decision_stated_as_taken(paragraphs: dict[int, str]) -> None:
    # Paragraph 1 proposes that the Commission extend the mandate and decide on a work
    # plan ("有建议称……应延长……并就……作出决定"); it records no decision.
    finally_ = profile_question("预防犯罪和刑事司法委员会最终是否决定延长专家组的任务期限？")
    assert finally_.missing(paragraphs[1]) == ["a decision that was taken"]
    assert finally_.missing("委员会决定将专家组的任务期限延长至 2023 年。") == []
    by_consensus = profile_question("Did the expert group adopt this report by consensus?")
    # Paragraph 4 proposes negotiations on the basis of consensus; it adopts nothing.
    assert by_consensus.missing(paragraphs[4]) == [
        "how it was decided (by consensus or by vote)"]
    assert by_consensus.missing("The Expert Group adopted the report by consensus.") == []


def test_a_passage_without_the_kind_of_answer_is_named_as_lacking_it(
        paragraphs: dict[int, str]) -> None:
    how_long = profile_question("应将数据保留多长时间？")
    assert how_long.missing(paragraphs[13]) == ["a length of time"]
    assert profile_question("谈判会议将在哪个城市举行？").missing(paragraphs[5]) == ["a place"]
    assert profile_question("专家组共有多少名成员？").missing(paragraphs[2]) == ["a number"]
    assert profile_question("Which country sponsored it?").missing(paragraphs[4]) == [
        "a named state"]


def test_a_passage_with_the_kind_of_answer_passes(paragraphs: dict[int, str]) -> None:
    # Paragraph 2 dates the committee's start ("2021 年"); 16 names states; 17 counts one
    # observer ("一名观察员").
    assert profile_question("特设委员会应在什么时候才开始工作？").missing(paragraphs[2]) == []
    assert profile_question("哪些国家的专家在哪里作了发言？").missing(paragraphs[16]) == []
    assert profile_question("How many observers spoke?").missing(paragraphs[17]) == []


@pytest.mark.parametrize("question", [
    # A verb, preposition or article ends the counted noun phrase: these count topics.
    "How many topics were proposed by States?",
    "How many topics did the States propose?",
    # 多少 without a measure word is not a count ("to some extent").
    "报告是否多少提到了恐怖主义案件中的司法协助？",
    # Nor are "in how many respects" and "concerning … requests" (found by a review).
    "How many roles concerning legal assistance requests should central authorities play?",
    "中央机关在多少个方面的司法协助请求中发挥作用？",
    "中央机关在几个环节的司法协助请求中发挥关键作用？",
])
def test_a_counted_noun_further_on_is_not_what_is_counted(question: str) -> None:
    assert QUANTITY not in profile_question(question).types


def test_a_list_answers_how_many_only_when_lists_count(paragraphs: dict[int, str]) -> None:
    # The answerer lets a list count only in the first or the most relevant passage
    # (service/answerer.py).
    question = profile_question("How many Member States spoke?")
    assert question.counted == "state"
    assert question.missing(paragraphs[16]) == []
    assert question.missing(paragraphs[16], lists_count=False) == ["a number"]
    # An explicit count needs no list, if it counts what is asked: "一名观察员" counts
    # observers, not States.
    assert question.missing(paragraphs[17], lists_count=False) == ["a number"]
    assert profile_question("How many observers spoke?").missing(
        paragraphs[17], lists_count=False) == []


@pytest.mark.parametrize(("question", "counted", "answered_by_16"), [
    ("How many experts made statements?", "person", True),
    ("发言的会员国专家中，有几位来自亚洲国家？", "person", True),
    ("共有多少个会员国的专家作了发言？", "state", True),
    # The attendance list (paragraph 16: "下列会员国的专家作了发言：……") lists States, but
    # not as a treaty's parties; and it lists no requests or meetings.
    ("《布达佩斯公约》目前共有多少个缔约国？", "state", False),
    ("How many mutual legal assistance requests were received?", None, False),
    ("How many meetings did the group hold?", None, False),
])
def test_a_list_counts_only_the_kind_of_thing_it_lists(
        paragraphs: dict[int, str], question: str, counted: str | None,
        answered_by_16: bool) -> None:
    profile = profile_question(question)
    assert profile.counted == counted
    assert (profile.missing(paragraphs[16]) == []) is answered_by_16


@pytest.mark.parametrize("question", [
    # Not questions about who holds an office (found refused by a review).
    "Who should host the centre of expertise on cybercrime?",
    "Whose legislation should apply when production orders are sent directly to hosting "
    "providers?",
    "Should states host dedicated cybercrime units inside the central authority?",
    "What did the working group chaired by Austria recommend?",
])
def test_hosting_and_chairing_in_passing_ask_for_no_office(question: str) -> None:
    assert profile_question(question).roles == ()


@pytest.mark.parametrize("question", [
    "Which country chaired the expert group meeting in Vienna?",
    "Who chaired the meeting of the expert group?",
    "本次专家组会议由谁担任主席？",
    "Who presided over the session?",
])
def test_who_held_an_office_needs_a_passage_that_mentions_it(
        paragraphs: dict[int, str], question: str) -> None:
    # The attendance paragraph names states, but no chair.
    profile = profile_question(question)
    assert profile.roles == ("the chair or president",)
    assert "mention of the chair or president" in profile.missing(paragraphs[16])
    assert "mention of the chair or president" not in profile.missing(
        "会议由奥地利代表担任主席。")
    assert profile_question("Which country hosted the meeting?").missing(paragraphs[16]) == [
        "mention of the host"]


def test_years_and_document_symbols_are_not_counts(paragraphs: dict[int, str]) -> None:
    # Paragraph 3 holds "第 74/247 号决议" and "2021 年": neither answers "how many".
    assert profile_question("How many members does the group have?").missing(paragraphs[3]) == [
        "a number"]


def test_a_day_and_an_end_point_are_their_own_kinds(paragraphs: dict[int, str]) -> None:
    # Paragraph 2 holds a year, not a day; it says when the committee's wait ends.
    assert profile_question("第74/247号决议是哪一天通过的？").missing(paragraphs[4]) == [
        "a day's date"]
    assert profile_question("特设委员会要等多久才能开始工作？").missing(paragraphs[2]) == []
    assert profile_question("How long must providers retain traffic data?").missing(
        paragraphs[2]) == ["a length of time"]


def test_reference_numbers_the_question_cites_must_be_in_the_passage(
        paragraphs: dict[int, str]) -> None:
    article = profile_question("《布达佩斯公约》第 18 条的内容是什么？")
    assert article.references == ("18",)
    assert article.missing(paragraphs[13]) == ["mention of “18”"]
    resolution = profile_question("What was said about resolution 74/247?")
    assert resolution.references == ("74/247",)
    assert resolution.missing(paragraphs[4]) == []
    assert resolution.missing(paragraphs[13]) == ["mention of “74/247”"]
    # Full-width digits and slashes are the same reference.
    assert profile_question("大会第７４／２４７号决议设立了什么机构？").missing(paragraphs[2]) == []


@pytest.mark.parametrize("question", [
    "What does paragraph 13 say about the Budapest Convention?",
    "报告第 13 段对《布达佩斯公约》有何评价？",
    "1. When should the ad hoc committee start its work?",
    "问题 3：特设委员会的任务是什么？",
    "What committee did resolution 74/247 of 27 December 2019 establish?",
    "Why is the 2001 treaty a benchmark?",
])
def test_paragraph_list_and_date_numbers_are_not_references(question: str) -> None:
    # A year describes more often than it asks; a paragraph or list number is the
    # asker's own bookkeeping.
    assert profile_question(question).references in ((), ("74/247",))


def test_a_named_party_s_view_needs_a_passage_that_attributes_one(
        paragraphs: dict[int, str]) -> None:
    view = profile_question("中国专家在发言中对《布达佩斯公约》持什么立场？")
    # The report lists who spoke (16, 17) and records views unattributed (4, 13).
    for number in (4, 13, 16, 17):
        assert view.missing(paragraphs[number]) == ["what a named party said"]
    assert view.missing("中国代表认为，应以现有文书为基础。") == []
    assert view.missing("The representative of China stated that existing instruments "
                        "should be the basis.") == []


def test_what_an_instrument_provides_needs_a_passage_that_states_a_provision(
        paragraphs: dict[int, str]) -> None:
    # Paragraph 13 names the Budapest Convention and praises it, but quotes none of it.
    provision = profile_question("What does article 18 of the Budapest Convention provide?")
    assert provision.types == (PROVISION,)
    assert provision.missing(paragraphs[13]) == ["what an instrument provides", "mention of “18”"]
    assert provision.missing("《布达佩斯公约》第 18 条规定了出示令。") == []


# ------------------------------------------------------------- through the answerer


@pytest.fixture(scope="module")
def answerer(tmp_path_factory: pytest.TempPathFactory) -> Answerer:
    path: Path = tmp_path_factory.mktemp("answerability") / "index"
    embedder = make_embedder("hashing")
    write_index(path, embedder, upserts=[parse_file(SEED)])
    return Answerer(Index.load(path, embedder=embedder), embedder, min_relevance=0.0)


def test_answerer_abstains_naming_what_the_passages_lack(answerer: Answerer) -> None:
    answer = answerer.ask("互联网服务供应商应将用户数据保留多长时间？")
    assert answer.abstained
    assert answer.citations == []
    assert answer.answer == "报告中没有找到能回答这个问题的段落。"
    assert answer.reason is not None
    assert answer.reason.startswith("the question asks for a length of time, and none of "
                                    f"the closest passages ({SEED_DOC_ID}#")
    assert answer.reason.endswith(") gives it")
    assert answer.hits, "the retrieved passages are still returned for inspection"


def test_a_prison_term_an_office_or_a_finalised_text_needs_a_passage_that_says_so(
        paragraphs: dict[int, str]) -> None:
    # "Held accountable" (paragraph 15) is a sanction, not a prison sentence.
    prison = profile_question("What prison sentences apply to ransomware attacks?")
    assert prison.prison and prison.missing(paragraphs[15]) == ["a penalty or sanction"]
    assert prison.missing("Offenders may be sentenced to up to ten years in prison.") == []
    assert profile_question("What penalty should those behind the attacks face?").missing(
        paragraphs[15]) == []
    chair = profile_question("不限成员名额特设政府间专家委员会的主席由哪个国家担任？")
    assert chair.missing(paragraphs[2]) == ["mention of the chair or president"]
    assert profile_question("What is the deadline to finalize the convention?").events == (
        "end",)


def test_only_the_closest_passage_says_who_or_until_when() -> None:
    # The answerer examines only the most relevant passage for these (a year further
    # down, "2021 年以后", is seldom the deadline asked for).
    assert profile_question("What maximum deadline does the report set?").closest_only
    assert profile_question("Which delegation proposed extending the mandate?").closest_only
    assert not profile_question("When will the committee begin its work?").closest_only


def test_english_names_are_matched_as_words() -> None:
    # "ITU" is not in "institutions"; a stem may be ("ICT": "… technologies").
    itu = profile_question("What does the ITU index measure?", known=lambda name: False)
    assert itu.names == ("ITU",)
    assert itu.missing("Financial institutions should cooperate.") == ["mention of “ITU”"]
    assert itu.missing("The ITU published an index.") == []
    ict = profile_question("What did the report say about the ICT sector?",
                           known=lambda name: False)
    assert ict.missing("Information and communications technologies were discussed.") == []


def test_a_body_or_text_the_reports_never_name_needs_a_passage_that_names_it(
        answerer: Answerer, paragraphs: dict[int, str]) -> None:
    known = answerer.index.knows_words
    # The report names neither the ITU, nor the Security Council, nor China's law.
    for question, name in (("国际电信联盟的全球网络安全指数是如何计算各国排名的？", "国际电信联盟"),
                           ("联合国安理会就网络攻击问题通过过哪些决议？", "联合国安理会"),
                           ("中国的《网络安全法》是哪一年开始施行的？", "网络安全法")):
        assert profile_question(question, known=known).names == (name,)
        answer = answerer.ask(question)
        assert answer.abstained and f"mention of “{name}”" in (answer.reason or "")
    # Names the report holds ask nothing more, wherever they are: "欧洲委员会的《布达佩斯
    # 公约》" is answered by paragraph 13, which names the Convention only.
    assert profile_question("报告对欧洲委员会的《布达佩斯公约》持什么看法？",
                            known=known).names == ()
    # Names UN texts give otherwise are known by those: "国际刑警组织" is the report's
    # "国际刑事警察组织", "联合国大会" its "大会", "欧洲理事会" often said for its
    # "欧洲委员会"; "犯罪预防" is made of words it has.
    for question in ("国际刑警组织的代表发言了吗？", "联合国大会通过了哪项决议？",
                     "欧洲理事会的《布达佩斯公约》在获取电子证据方面起了什么作用？",
                     "联合国犯罪预防和刑事司法委员会应延长专家组的任务吗？"):
        assert profile_question(question, known=known).names == (), question
    # Bodies jieba does not tag are found by the noun that ends their name; kinds of
    # company, a State's government and a body that only places another are not names.
    assert profile_question("国际移民组织的代表作了发言吗？", known=known).names == (
        "国际移民组织",)
    # Asking about a body is not describing oneself.
    assert profile_question("我想知道国际电信联盟的指数是如何计算的？", known=known).names == (
        "国际电信联盟",)
    for question in ("在调取电子证据这件事上，科技公司要承担什么责任？",
                     "我们是一家关注儿童网络安全的民间组织。报告对国际社会有什么建议？",
                     "作为上海合作组织的研究人员，我想知道报告对能力建设怎么说？",
                     "我在一家国际移民组织工作，报告对能力建设怎么说？",
                     "日本政府的专家是否在会议上发言？",
                     "联合国经社理事会下属的预防犯罪和刑事司法委员会应延长专家组的任务期限吗？",
                     "在联合国毒品和犯罪问题办公室组织的这次会议上，哪些政府间组织的代表作了发言？"):
        assert profile_question(question, known=known).names == (), question
    # English acronyms of three letters or more name something too, known by the names
    # reports give them ("MLA" is 司法协助); two-letter ones are too often context.
    assert profile_question("Under the GDPR, can a company hand data to police abroad?",
                            known=known).names == ("GDPR",)
    for question in ("How could a dedicated cyber desk inside the national MLA office help?",
                     "Did INTERPOL and the Council of Europe make statements?",
                     "I'm briefing my MP: did Iran have experts speaking at this meeting?",
                     "Did anyone from academia take the floor, or was it only governments "
                     "and IGOs?"):
        assert profile_question(question, known=known).names == (), question
    # "The list of those who spoke" names who spoke, not who among them opposed.
    opposed = profile_question("在发言的会员国中，具体是哪个国家最坚决反对延长专家组的任务期限？")
    assert opposed.missing(paragraphs[16]) == ["a named state"]
    # The report's own title and headings count as mentions.
    own = profile_question("《初步建议和结论清单》中关于国际合作有哪些建议？", known=known)
    assert own.missing(paragraphs[12]) == ["mention of “初步建议和结论清单”"]
    assert own.missing(paragraphs[12], headings="二. 初步建议和结论清单（续）\nA. 国际合作") == []
    # A question about a protocol is not answered by a passage naming its convention.
    protocol = profile_question("What does the Second Additional Protocol to the Budapest "
                                "Convention cover?")
    assert protocol.missing(paragraphs[13]) == ["mention of a protocol"]
    assert profile_question("What protocol should requests follow?").roles == ()


def test_several_questions_in_one_are_split_at_their_question_marks() -> None:
    two = "特设委员会应该什么时候开始拟订新公约？对会员国参与该工作有什么呼吁？"
    assert question_parts(two) == ["特设委员会应该什么时候开始拟订新公约？",
                                   "对会员国参与该工作有什么呼吁？"]
    assert question_parts("When should it start? Please answer briefly.") == [
        "When should it start? Please answer briefly."]
    assert question_parts("对会员国有什么呼吁？") == ["对会员国有什么呼吁？"]


def test_several_questions_in_one_are_answered_one_by_one(answerer: Answerer) -> None:
    # The date of the first is in paragraph 2, the call of the second in paragraph 5.
    answer = answerer.ask("特设委员会应该在什么时候才开始工作？对会员国有什么呼吁？")
    assert not answer.abstained, answer.reason
    # Each part's best paragraph, in the question's order.
    assert [c.paragraph for c in answer.citations] == [2, 5]
    assert "2021" in answer.answer
    # A part asking for a kind of answer no passage gives still abstains the whole.
    assert answerer.ask("大会第74/247号决议是哪一天通过的？会员国对此怎么看？").abstained


def test_several_questions_are_not_split_when_a_part_needs_the_others() -> None:
    assert refers_back("When should it be submitted?") and refers_back("其作用是什么？")
    assert not refers_back("特设委员会应该什么时候开始拟订新公约？")
    assert refers_back("那私营部门呢？") and refers_back("And what about the private sector?")


def test_parts_are_answered_alone_only_when_that_loses_nothing(
        answerer: Answerer, monkeypatch: pytest.MonkeyPatch) -> None:
    # Every part, asked alone, gets an answer here: only the guards can refuse.
    cited = answerer.ask("直接发出出示令时应以哪国法律为准？").citations[:1]
    asked: list[str] = []

    def always_answers(part: str, *args: Any, **kwargs: Any) -> Answer:
        asked.append(part)
        return Answer(part, f"{cited[0].quote} [{cited[0].id}]", False, None, cited, [])

    monkeypatch.setattr(answerer, "ask", always_answers)
    assert answerer._answer_parts("特设委员会应该在什么时候才开始工作？对会员国有什么呼吁？",
                                  [], None) is not None
    assert len(asked) == 2
    # A part that asks for a date refers back ("it"); a chat follow-up joined to the
    # question before it (service.chat); four questions are too many; the whole asks for
    # a view of resolution 74/247, which neither part asks for alone.
    for question in ("What should the new convention include? When should it be submitted?",
                     "特设委员会什么时候之后才可以开始工作？ 那私营部门呢？",
                     "谁发言了？讨论了什么？特设委员会什么时候开始工作？提交给谁？",
                     "联合国大会第74/247号决议设立的特设委员会负责拟订什么公约？ "
                     "一些会员国对大会第74/247号决议的通过持何种态度？"):
        asked.clear()
        assert answerer._answer_parts(question, [], None) is None, question
        assert asked == [], "refused before any part is asked"


def test_answerer_answers_when_the_passage_has_it(answerer: Answerer) -> None:
    answer = answerer.ask("根据第 74/247 号决议设立的特设委员会应在什么时候才开始工作？")
    assert not answer.abstained, answer.reason
    assert answer.citations[0].id == f"{SEED_DOC_ID}#2"
    assert "2021" in answer.citations[0].quote


def test_every_cited_paragraph_has_what_the_question_asks(answerer: Answerer,
                                                          paragraphs: dict[int, str]) -> None:
    question = "特设委员会和专家组的工作应在什么时候开始或结束？"
    answer: Any = answerer.ask(question)
    profile = profile_question(question)
    assert profile.types == (TIME,)
    assert answer.citations
    for citation in answer.citations:
        assert profile.missing(paragraphs[citation.paragraph]) == []


def test_a_failing_answer_type_test_answers_without_it(
        answerer: Answerer, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    def broken(question: str) -> Any:
        raise RuntimeError("tagger exploded")

    monkeypatch.setattr("service.answerer.profile_question", broken)
    question = "根据第 74/247 号决议设立的特设委员会应在什么时候才开始工作？"
    with caplog.at_level("ERROR", logger="service.answerer"):
        answer = answerer.ask(question)
    assert not answer.abstained
    assert answer.citations
    assert "answer-type test failed" in caplog.text
    assert question not in caplog.text  # questions are not logged


def test_a_failing_test_of_a_part_keeps_the_whole_question_s_abstention(
        answerer: Answerer, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    question = "特设委员会应该在什么时候才开始工作？对会员国有什么呼吁？"

    def broken_for_parts(text: str, known: Any = None) -> Any:
        if text != question:
            raise RuntimeError("tagger exploded")
        return profile_question(text, known=known)

    monkeypatch.setattr("service.answerer.profile_question", broken_for_parts)
    with caplog.at_level("ERROR", logger="service.answerer"):
        answer = answerer.ask(question)
    assert answer.abstained and (answer.reason or "").startswith("the question asks for")
    assert "answer-type test failed on a part" in caplog.text


def test_a_list_further_down_does_not_answer_how_many(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Every report has an attendance list, of states; lower in the ranking than the
    # passage on the convention, it must not "count" the states that ratified it. Even
    # with the relevance margin wide open it does not.
    monkeypatch.setattr("service.answerer.ANSWER_TYPE_MARGIN", 10.0)
    document = Document(doc_id="r", title="r", metadata={}, paragraphs=[
        Paragraph("r", 1, (), "《布达佩斯公约》多年来一直是获取电子证据的标准。"),
        Paragraph("r", 2, (), "下列会员国的专家作了发言：澳大利亚、奥地利、阿塞拜疆和中国。"),
    ])
    embedder = make_embedder("hashing")
    write_index(tmp_path / "index", embedder, upserts=[document])
    answerer = Answerer(Index.load(tmp_path / "index", embedder=embedder), embedder,
                        min_relevance=0.0)
    answer = answerer.ask("《布达佩斯公约》共有多少个国家批准？")
    assert [h.citation_id for h in answer.hits][:2] == ["r#1", "r#2"]
    assert answer.hits[0].semantic_score > answer.hits[1].semantic_score
    assert answer.abstained, [c.id for c in answer.citations]
    assert answer.reason is not None and answer.reason.startswith(
        "the question asks for a number, and none of the closest passages (r#1, r#2)")
    # First in the ranking, the list is counted.
    answer = answerer.ask("有多少个会员国的专家作了发言？")
    assert not answer.abstained, answer.reason
    assert answer.citations[0].id == "r#2"


def test_review_findings_on_the_new_rules(paragraphs: dict[int, str]) -> None:
    # 应 in 供应商 or 应对 proposes nothing; "called to order" calls for nothing.
    outcome = profile_question("Did the Commission finally decide to cooperate with providers?")
    assert outcome.missing("委员会决定与服务供应商合作。") == []
    manner = profile_question("Was the report adopted by consensus?")
    assert manner.missing("The report was adopted by consensus at the final meeting, which "
                          "was called to order at 10 a.m.") == []
    # "应以协商一致方式通过" asks for a proposal, not how something was adopted.
    assert profile_question("新公约应以协商一致方式通过吗？").types == ()
    # A list naming the proposers themselves names who proposed.
    proposer = profile_question("哪个国家提议延长专家组的任务期限？")
    assert proposer.missing("澳大利亚、中国和日本提议延长专家组的任务期限。") == []
    assert profile_question("Which States proposed extending the mandate?").missing(
        "Australia, Japan and China proposed extending the mandate.") == []
    # The English version of paragraph 16, all twenty-six States: its introduction is read.
    english_16 = ("Statements were made by experts from the following Member States: "
                  "Australia, Austria, Azerbaijan, China, Cuba, France, Germany, Greece, "
                  "Honduras, Hungary, Indonesia, Iran (Islamic Republic of), Iraq, Israel, "
                  "Italy, Japan, Mongolia, New Zealand, Nigeria, Paraguay, Philippines, Poland, "
                  "Spain, Thailand, United Kingdom and Venezuela (Bolivarian Republic of).")
    assert profile_question("How many Member States made statements?").missing(
        english_16) == []
    # "i.e." ends no sentence: the date stays with its event.
    assert profile_question("When will the committee begin its work?").missing(
        "The committee will begin its work only after the group submits its "
        "recommendations, i.e. in 2021.") == []
    # One observer counted is not a count of States that ratified a treaty, nor of
    # participants who attended (paragraph 17: "一名观察员也作了发言").
    for question in ("How many countries have ratified the Budapest Convention?",
                     "专家组本次维也纳会议共有多少名与会者出席？"):
        assert profile_question(question).missing(paragraphs[17]) == ["a number"]


def test_second_review_findings(paragraphs: dict[int, str]) -> None:
    # 国际 and 那几个 count nothing; "the name of the committee" asks for no person.
    assert profile_question("多少国际组织的代表作了发言？").counted != "state"
    assert QUANTITY not in profile_question("那几个国家的专家说了什么？").types
    assert profile_question("What is the name of the ad hoc committee?").types == ()
    assert profile_question("那个拟订新公约的专家委员会叫什么名字？").types == ()
    # "End up adopting" asks about adopting, and a resolution is a decision.
    assert profile_question("Did the Assembly end up adopting the resolution?").events == (
        "adopt",)
    assert profile_question("What did the General Assembly finally decide?").missing(
        paragraphs[3]) == []
    # Joining the negotiations, or a discussion, is not joining a treaty.
    assert profile_question("各国如何加入新公约谈判？").types == ()
    assert profile_question("Which countries joined the discussion?").types == ()
    # "24/7" is no document symbol; "para. 13" ends no sentence.
    assert profile_question("Should the contact points work 24/7?").references == ()


def test_a_list_of_those_who_spoke_is_no_venue(paragraphs: dict[int, str]) -> None:
    # Paragraph 16 names the States whose experts spoke, not where anything is held.
    city = profile_question("特设委员会的第一届会议计划在哪个城市召开")
    assert city.missing(paragraphs[16]) == ["a place"]
    assert city.missing("特设委员会第一届会议将在维也纳召开。") == []
    assert city.missing("会议先后在维也纳、纽约和日内瓦召开。") == []
    # A list's introduction may say where: only the items are no venue.
    assert profile_question("这次会议在哪里举行？").missing(
        "下列会员国的代表出席了在维也纳举行的会议：澳大利亚、奥地利、中国和法国。") == []
    assert profile_question("Where was the meeting held?").missing(
        "The meeting, held in Vienna, was attended by experts from the following States: "
        "Australia, Austria, China and France.") == []


def test_holding_off_is_no_meeting(paragraphs: dict[int, str]) -> None:
    # "Hold off" waits: paragraph 2's year answers until when.
    hold_off = profile_question("Until when should the ad hoc committee hold off?")
    assert hold_off.events == ()
    assert hold_off.missing(paragraphs[2]) == []
    assert profile_question("When will the next session be held?").events == ("meet",)
    how_long = profile_question("How long should the ad hoc committee hold off on starting?")
    assert how_long.types == (UNTIL,)
    assert how_long.missing(paragraphs[2]) == []


def test_a_mention_of_member_states_is_no_attendance(paragraphs: dict[int, str]) -> None:
    # 到会 inside 提到会员国 attends nothing: paragraph 16's list counts the States.
    assert profile_question("报告提到会员国名单里有多少个国家？").missing(paragraphs[16]) == []
    # Attending the meeting (参会) is not speaking at it.
    assert profile_question("有多少个国家参会？").missing(paragraphs[16]) == ["a number"]


def test_days_to_respond_ask_for_a_length_of_time(paragraphs: dict[int, str]) -> None:
    for question in ("中央机关应在几日内答复司法协助请求？",
                     "Within how many working days must a central authority respond?"):
        profile = profile_question(question)
        assert DURATION in profile.types, question
        assert profile.missing(paragraphs[12]) == ["a length of time"], question
    assert profile_question("专家组会议是几月几日举行的？").types == (TIME, DATE)


def test_companies_named_with_a_kind_or_examples_ask_for_a_name(
        paragraphs: dict[int, str]) -> None:
    for question in ("Which specific tech companies, e.g. Google or Meta, were named as "
                     "having to cooperate with law enforcement?",
                     "哪些具体的科技公司，比如腾讯或阿里巴巴，被点名要求与执法机关合作？"):
        profile = profile_question(question)
        assert profile.types == (SPEAKER,), question
        # Paragraphs 8 and 13 ask providers to cooperate; they name none.
        assert profile.missing(paragraphs[8]) and profile.missing(paragraphs[13]), question
    for question in ("哪一家科技公司被点名？", "哪些跨国互联网公司被点名？"):
        assert profile_question(question).types == (SPEAKER,), question
    # An example that asks something stays a clause of its own.
    assert profile_question("有哪些措施，比如培训，可以提高能力？").types == ()
    assert profile_question("新公约，比如何时生效，报告有说明吗？").types == (TIME,)
    assert profile_question("关于请求的时限，比如多长时间内必须答复，报告有没有规定？").types == (
        DURATION,)


# A seventh review's phrasings around the names rule: short and informal names, bodies
# named as context, the report's own title and headings, proposals of no named party.
NAMED_PHRASINGS = [
    ("国际刑警组织在会上作了发言吗？", [17]),
    ("国际刑警组织的代表是否也在会议上发言？", [17]),
    ("欧盟和国际刑警组织都作了发言吗？", [17]),
    ("欧洲理事会的代表是否在会上作了发言？", [17]),
    ("欧洲理事会的《布达佩斯公约》在获取电子证据方面起了什么作用？", [13]),
    ("欧洲委员会《网络犯罪公约》对执法机构的日常工作有何影响？", [13]),
    ("《网络犯罪公约》多年来一直是获取什么的标准？", [13]),
    ("《布达佩斯网络犯罪公约》被称为获取电子证据的标准吗？", [13]),
    ("在联合国毒品和犯罪问题办公室组织的这次会议上，哪些政府间组织的代表作了发言？", [17]),
    ("在联合国毒罪办主办的专家组会议上，北京师范大学的观察员发言了吗？", [17]),
    ("毒罪办召集的网络犯罪专家组会议上，哪些会员国的专家作了发言？", [16]),
    ("预防犯罪委员会应延长专家组在网络犯罪方面的任务期限吗？", [1]),
    ("有建议称刑事司法委员会应就哪一年以后的工作计划作出决定？", [1]),
    ("联合国预防犯罪和刑事司法委员会应在专家组的工作计划中纳入哪些议题？", [1]),
    ("联合国犯罪预防和刑事司法委员会应延长专家组的任务吗？", [1]),
    ("联大第74/247号决议设立了什么委员会？", [2]),
    ("联合国大会第74/247号决议设立的特设委员会负责拟订什么公约？", [2]),
    ("《巴勒莫公约》的缔结进程对拟订新公约有什么借鉴意义？", [4]),
    ("《联合国反腐败公约》和《巴勒莫公约》的缔结进程为何被提到？", [4]),
    ("《联合国打击跨国有组织犯罪公约》和《联合国反腐败公约》的缔结进程可作为什么的范例？", [4]),
    ("《反腐败公约》的缔结进程为何被提及？", [4]),
    ("《联合国反腐公约》的缔结进程被当作什么的范例？", [4]),
    ("《打击跨国有组织犯罪公约》的缔结过程在报告中被视为什么？", [4]),
    ("北京师范大学有人在会上发言吗？", [17]),
    ("国际刑事警察组织的代表作了发言吗？", [17]),
    ("在维也纳国际中心举行的专家组会议上，哪些政府间组织作了发言？", [17]),
    ("根据《全面研究网络犯罪问题专家组报告草稿》，会员国应如何维护电子数据库？", [11]),
    ("《初步建议和结论清单》中关于国际合作有哪些建议？", [1, 2]),
    ("日本政府派出的专家在会上发言了吗？", [16]),
    ("根据联大第74/247号决议设立的特设委员会应何时开始工作？", [2]),
    ("联大通过的决议要求拟订新公约的工作具有什么特点？", [4]),
    ("2020年维也纳专家组会议提出了哪些建议？", [1, 2]),
    ("一些会员国提出了哪些建议？", [1, 2]),
    ("关于司法协助，会员国在发言中提出了哪些建议？", [8, 10]),
    ("专家组提出了哪些建议？", [1, 2]),
    ("与会专家就特设委员会的工作提出了哪些建议？", [2, 5]),
    ("就预防犯罪和刑事司法委员会的工作计划提出了哪些建议？", [1]),
    ("就联合国大会第74/247号决议设立的特设委员会提出了哪些建议？", [2]),
    ("针对欧洲委员会的《布达佩斯公约》，报告提出了哪些建议？", [13]),
    ("针对欧洲委员会的《布达佩斯公约》提出了哪些建议？", [13]),
    ("维也纳会议上各国专家提出了哪些建议？", [1, 2]),
    ("在维也纳举行的会议上，发言者针对新公约的内容提出了哪些建议？", [6]),
    ("奥地利维也纳会议提出了哪些建议？", [1, 2]),
    ("联合国会员国在司法协助方面提出了哪些建议？", [8, 10]),
    ("关于网上性虐待和性剥削儿童问题，国际社会提出了哪些建议？", [1, 7]),
    ("关于中央机关的作用，报告提出了哪些建议？", [10, 12]),
    ("针对互联网服务供应商所在国的立法，专家们提出了哪些建议？", [13]),
    ("亚洲国家专家在维也纳会议上提出了哪些建议？", [1, 2]),
    ("在毒罪办的会议上，专家们就大会第74/247号决议提出了哪些建议？", [2, 3]),
    ("When the Internet Protocol address does not reveal wher"
     "e the data is, what framework does the report recommend?", [14]),
    ("What procedural protocol of the central authority should Member "
     "States follow when transmitting mutual legal assistance requests?", [12]),
    ("Should the negotiation protocol for the new conventi"
     "on be inclusive, transparent and based on consensus?", [4]),
    ("中国政府的专家是否在会议上发言？", [16]),
    ("澳大利亚政府的专家在会上发言了吗？", [16]),
    ("英国政府的代表发言了吗？", [16]),
    ("联合国经社理事会下属的预防犯罪和刑事司法委员会应延长专家组的任务期限吗？", [1]),
    ("《大会第74/247号决议》设立了什么委员会？", [2]),
    ("2020年7月在维也纳召开的专家组会议提出了哪些建议？", [1, 2]),
    ("国际刑警组织总秘书处的代表作了发言吗？", [17]),
    ("北京师范大学刑事法律科学研究院的观察员发言了吗？", [17]),
    ("专家组向预防犯罪和刑事司法委员会提出了哪些建议？", [1, 2]),
    ("就中国等会员国关心的主权问题提出了哪些建议？", [6, 15]),
    # An eighth review's, around acronyms, office holders, named companies, deadlines
    # and which-State questions.
    ("As an ICT policy officer, I'd like to know whether the report says "
     "information and communications technologies should be used as weapons.", [15]),
    ("As an ICT policy officer, what does the report recommend about central "
     "authorities and mutual legal assistance requests?", [12]),
    ("I work for an NGO (ABC) focusing on child protection: what should the "
     "international community prioritise to strengthen national capacity "
     "against online child sexual abuse?", [7]),
    ("For my LLM thesis on cross-border evidence, which international "
     "instrument did the report highlight as the standard for obtaining "
     "electronic evidence?", [13]),
    ("As a CSO representative, what does the report recommend Member States "
     "do about statistics on mutual legal assistance requests?", [11]),
    ("I'm an OSCE staffer. What did the report say about state-sponsored "
     "attacks in cyberspace?", [15]),
    ("From a NATO perspective, does the report say that sovereignty and "
     "non-interference apply in cyberspace?", [15]),
    ("What does the report say about the role of central authorities in "
     "transmitting MLA requests?", [12]),
    ("Should Member States set up a separate cybercrime unit within the "
     "central authority responsible for MLA?", [10]),
    ("Should ICTs be used as weapons according to the report?", [15]),
    ("Which country's legislation should apply when a production order is "
     "sent directly to an ISP?", [13]),
    ("Should the CCPCJ extend the expert group's mandate on cybercrime?", [1]),
    ("Which UN conventions, UNTOC and UNCAC, were cited as examples for "
     "negotiating the new convention?", [4]),
    ("Did INTERPOL make a statement at the meeting?", [17]),
    ("What did the report say about UNGA resolution 74/247?", [2, 3]),
    ("The UNODC expert group on cybercrime met in Vienna in July 2020. Which "
     "Member States' experts made statements?", [16]),
    ("What does the report say about OCSEA (online child sexual exploitation "
     "and abuse)?", [1, 7]),
    ("Should the expert group's future work plan cover CSAM, i.e. online "
     "child sexual abuse?", [1]),
    ("What must a new convention NOT conflict with, according to the report?", [6]),
    ("What should ALL Member States do regarding the ad hoc committee "
     "drafting the new convention?", [5]),
    ("Does International Law require non-interference in internal affairs in "
     "cyberspace, according to the report?", [15]),
    ("Which countries were listed as having experts who spoke?", [16]),
    ("Which intergovernmental organizations were listed as having made "
     "statements?", [17]),
    ("Which providers were mentioned in the recommendation on direct "
     "production orders?", [13]),
    ("Which businesses were mentioned as having a responsibility to cooperate "
     "with national authorities?", [8]),
    ("Who is responsible for cooperating with national authorities in "
     "obtaining electronic evidence, according to the report?", [8]),
    ("Who is the chief actor in transmitting mutual legal assistance requests?", [12]),
    ("Who is the head body that should decide on the expert group's work plan "
     "beyond 2021?", [1]),
    ("What exact deadline was proposed for the expert group to submit its "
     "recommendations to the Commission on Crime Prevention and Criminal "
     "Justice?", [2]),
    ("What is the timeframe for the ad hoc committee to begin its work?", [2]),
    ("What specific period should the expert group's new work plan cover?", [1]),
    ("What is the time limit for the expert group's work according to those "
     "who said it need not continue?", [3]),
    ("By what deadline (which year) should the expert group finish its "
     "recommendations?", [2]),
    ("Which States' experts made statements at the meeting?", [16]),
    ("Did experts from the UK and NZ speak at the meeting?", [16]),
    ("Which organisations spoke besides Member States, e.g. the CoE and the "
     "EU?", [17]),
    ("WHICH COUNTRIES' EXPERTS SPOKE AT THE MEETING?", [16]),
    ("作为ICT政策官员，我想知道报告是否认为信息和通信技术不应被用作武器？", [15]),
    ("负责传递司法协助请求的负责人是谁？", [12]),
    ("哪些企业被提到有责任与国家机关合作？", [8]),
    ("哪些服务供应商被提到与出示令有关？", [13]),
    ("哪些国家的专家在会上作了发言？", [16]),
    ("在欧洲国家中，哪些国家的专家作了发言？", [16]),
    ("在发言的会员国中，有哪些亚洲国家？", [16]),
    ("在下列会员国中，哪个国家的专家作了发言：中国还是美国？", [16]),
    ("在与会的政府间组织中，哪些组织的代表作了发言？", [17]),
    ("专家组向预防犯罪和刑事司法委员会提交建议的最后期限是哪一年？", [2]),
    ("特设委员会最早什么时候可以开始工作？", [2]),
    ("除了会员国，还有谁作了发言？", [17]),
    ("哪个国家的专家率先发言？名单上第一个国家是哪个？", [16]),
    ("For my MA thesis: which international instrument has been the standard "
     "for obtaining electronic evidence for many years?", [13]),
    ("What did the report say about using the UN's past negotiation of UNTOC "
     "as a model?", [4]),
    ("As a UNICEF consultant, what does the report say about capacity "
     "building to counter online child sexual exploitation?", [7]),
    ("As a DPO, what does the report say about maintaining electronic "
     "databases of MLA statistics?", [11]),
    ("In UNODC/CCPCJ/EG.4/2020/L.1/Add.1, what is recommended about databases "
     "of MLA statistics?", [11]),
    ("FYI for our team: what does the report recommend Member States consider "
     "regarding centralized cybercrime teams?", [9]),
    ("In the PDF of the report, what does it say about the Budapest "
     "Convention?", [13]),
    ("What does the report say about the ad hoc committee established under "
     "A/RES/74/247?", [2]),
    ("Should the work plan after 2021 cover new forms of cybercrime, per the "
     "CCPCJ recommendation in the report?", [1]),
    ("Which companies were mentioned as having a duty to cooperate with State "
     "authorities on MLA?", [8]),
]

# A ninth review wrote these around the case, private-person, named-party and budget
# rules (the rules' first version refused 32 of them), a tenth around their second
# version and the documents rule (it refused 25): each must pass on its paragraph, as
# the named phrasings must.
REVIEWED_PHRASINGS = [
    # A fourteenth review's, near the holdout39 and 40 rules (their first version refused
    # 26 of them).
    ("What is the name of the university the observer came from?", [17]),
    ("What is the name of the institution that sent an observer?", [17]),
    ("What are the names of the intergovernmental organizations whose representatives "
     "spoke?", [17]),
    ("What are the names of the member states whose experts made statements?", [16]),
    ("What is the name of the committee of experts established under resolution 74/247?", [2]),
    ("What is the name of the treaty that experts highlighted as the standard for obtaining "
     "electronic evidence?", [13]),
    ("What are the names of the conventions cited as precedents by speakers?", [4]),
    ("What is the name of the commission that should receive the experts' recommendations?",
     [2]),
    ("Which bodies should fund the centralized cybercrime units and regional investigation "
     "units?", [9]),
    ("Which organisations should fund capacity-building to combat online child sexual "
     "abuse?", [7]),
    ("由哪些机构出资建立集中化打击网络犯罪专业队伍？", [9]),
    ("由哪个组织出资加强国家机关应对网络犯罪的能力？", [7]),
    ("What response time problems should central authorities address?", [12]),
    ("Which processing time issues in MLA procedures did the report want reduced?", [12]),
    ("Which specific kind of attacks did the report mention as needing to be condemned?",
     [15]),
    # A sixteenth review's, around rules built from holdout41 and 42 and then dropped
    # (a date only in its own clause, "what did X recommend", counts of units, "……后").
    ("Because resolution 74/247 was adopted, by what year did some argue the expert group "
     "should wrap up?", [3]),
    ("Since resolution 74/247 was adopted, when should the expert group finish?", [3]),
    ("第74/247号决议通过了，专家组应该哪一年结束？", [3]),
    ("What did the Vienna experts recommend about mutual legal assistance statistics?", [11]),
    ("What did the EG recommend on central authorities?", [12]),
    ("How many specialised units does the report recommend Member States set up?", [9]),
    ("How many databases should Member States maintain?", [11]),
    ("报告说特设委员会要等到哪一年后，才可以开展工作？", [2]),
    # A fifteenth review's.
    ("The regional criminal investigation technical units should be funded by which actors?",
     [9]),
    ("What response time improvements does the report call for?", [12]),
    ("Which response time measures does the report recommend?", [12]),
    ("专家组任务的最长期限到哪一年？", [1]),
    ("What are the names of the speaker countries?", [16]),
    ("What are the names of the representative organizations?", [17]),
    ("What are the names of the official instruments cited as models for negotiating the new "
     "convention?", [4]),
    ("报告提到了哪些具体的网络犯罪事件类型需要关注？", [1]),
    ("新公约应涵盖哪些具体的事件和议题？", [6]),
    ("哪些具体的攻击事件应受到谴责？", [15]),
    ("What specific attacks did the report mention as needing to be condemned?", [15]),
    ("Which specific operations did the report mention for central authorities?", [12]),
    ("When should the group's findings be submitted to the CCPCJ committee?", [2]),
    ("有发言建议将专家组任务延长到哪一年之后？", [1]),
    ("Until when should the expert group's mandate be extended, according to some "
     "proposals?", [1]),
    ("报告举了什么例子来说明专门单位可以提供的能力建设援助？", [10]),
    ("专门打击网络犯罪单位可以提供哪些能力建设援助？能举个例子吗？", [10]),
    ("报告中有哪些关于能力建设援助的例子？", [10]),
    ("专门单位提供的重点突出的能力建设援助，例如什么？", [10]),
    ("拟订新公约的工作可以以哪些公约的谈判进程为范例？", [4]),
    ("报告有没有给出可供借鉴的例子，说明新公约应如何谈判？", [4]),
    ("报告用什么作为新公约谈判进程的范例？", [4]),
    ("新公约应列入哪些议题？请举出几个例子。", [6]),
    ("会员国应在哪些案件中相互提供司法协助？有没有具体例子？", [8]),
    ("报告有没有提到经过验证的国际文书的实例？", [13]),
    ("网络空间应适用哪些国际法原则？请列举几个例子。", [15]),
    ("涉及用户数据的电子证据，执法机构应该如何获取？", [13]),
    ("公民个人的电子数据由境外互联网服务供应商持有时，执法部门应当如何取证？", [13]),
    ("用户和服务供应商所在国法律冲突时，出示令应该怎么处理？", [13]),
    ("在直接向互联网服务供应商发出出示令、调取用户数据时，各国应以哪国的立法为基准？", [13]),
    ("为保护儿童用户免受网上性剥削，国家机关应当如何加强能力？", [7]),
    ("普通网民关心的儿童网上性剥削问题，国际社会应该如何应对？", [7]),
    ("作为公民，我想知道国家支持的网络攻击的责任人应该怎样被追究？", [15]),
    ("与会专家在维也纳主张新公约应列入哪些议题？", [6]),
    ("2020年7月维也纳会议的与会专家主张新公约应包括哪些议题？", [6]),
    ("一些会员国的代表主张新公约的拟订工作应遵循哪些原则？", [4]),
    ("会员国专家主张在可能的新公约中列入哪些议题？", [6]),
    ("发言的专家对专家组任务期限持什么具体立场？", [1]),
    ("一些会员国对大会第74/247号决议的通过持何种态度？", [4]),
    ("专家们对于私营部门在获取电子证据方面的责任有什么看法？", [8]),
    ("发言者对新公约与现有框架的关系持什么主要观点？", [6]),
    ("会员国应考虑投入资源建立什么样的专业队伍？", [9]),
    ("为了最大限度地利用现有财务资源，有发言提出了什么主张？", [3]),
    ("在资金和财务资源方面，为什么有人认为专家组的工作没有必要延续到2021年以后？", [3]),
    ("关于获取数据的体制框架，报告主张以哪些国际文书为基础？", [13]),
    ("中国是否派专家在会上作了发言？", [16]),
    ("除会员国外，还有哪些政府间组织的代表作了发言？", [17]),
    ("What example does the report give of capacity-building "
     "assistance that specialized units can offer?", [10]),
    ("Can you give an example of the kind of capacity-building "
     "support a dedicated cybercrime unit could provide?", [10]),
    ("Which earlier UN negotiating processes are cited as "
     "examples for drafting the new convention?", [4]),
    ("What examples of past treaty negotiations does the report "
     "point to as models for the new convention?", [4]),
    ("What are some examples of topics that could be included in a possible new convention?", [6]),
    ("Give an example of the kinds of cases in which Member States "
     "should provide each other mutual legal assistance.", [8]),
    ("In what specific cases should States provide mutual legal "
     "assistance to obtain electronic evidence?", [8]),
    ("What is an example of a proven international "
     "instrument for accessing electronic evidence?", [13]),
    ("What are examples of principles of international law that should apply in cyberspace?", [15]),
    ("Which principles of international law, for example, should apply to cyberspace?", [15]),
    ("What should individual Member States do to reduce delays in mutual legal assistance?", [12]),
    ("How can individual countries strengthen their capacity "
     "to tackle online child sexual abuse?", [7]),
    ("How can victims of online child sexual exploitation be "
     "better protected, according to the draft?", [7]),
    ("How can users' data held by internet service providers "
     "be obtained when national laws conflict?", [13]),
    ("What is the best way for individual States to keep track "
     "of incoming and outgoing MLA requests?", [11]),
    ("How should the private sector cooperate with national "
     "authorities on electronic evidence?", [8]),
    ("Did Member States welcome the adoption of resolution 74/247?", [4]),
    ("Did some experts support extending the expert group's mandate beyond 2021?", [1]),
    ("Did the Vienna experts support extending the group's mandate beyond 2021?", [1]),
    ("Do the Vienna recommendations address delays and backlogs in mutual legal assistance?", [12]),
    ("Does Recommendation 2 call for the ad hoc committee to "
     "wait until the expert group has finished?", [2]),
    ("Does Section A call for mutual legal assistance in terrorism-related cases?", [8]),
    ("Did the Open-ended Intergovernmental Expert Group propose setting up "
     "separate cybercrime units within central authorities?", [10]),
    ("Did any speakers oppose continuing the expert group's work after 2021?", [3]),
    ("Did the expert group endorse the Budapest Convention as the "
     "standard for obtaining electronic evidence?", [13]),
    ("Did delegates call on all Member States to take part in drafting the new convention?", [5]),
    ("Did experts from Member States call for international law to apply to cyberspace?", [15]),
    ("Did Australia, China and Japan take the floor at the meeting?", [16]),
    ("Did INTERPOL deliver a statement to the expert group?", [17]),
    ("What resources should Member States consider investing in to fight cybercrime?", [9]),
    ("What funding or resources does the report say Member States "
     "should commit to specialized cybercrime teams?", [9]),
    ("What budget considerations were raised against "
     "extending the expert group's work beyond 2021?", [3]),
    ("What should Member States do with their existing financial resources, "
     "according to those who opposed extending the group?", [3]),
    ("What model should negotiations on the new convention follow?", [4]),
    ("各国执法机构向服务供应商调取个人通信记录时，应当如何适用法律？", [13]),
    ("专家在维也纳对能力建设持什么立场？", [7]),
    ("维也纳会议上，专家们对私营部门的责任持什么看法？", [8]),
    ("北京师范大学的观察员作了发言吗？", [17]),
    ("国际文书方面，报告举了哪个公约作为例子？", [13]),
    ("报告提到哪些能力建设的实例？", [10]),
    ("How should the individual cybercrime units within central "
     "authorities support capacity building?", [10]),
    ("What are examples of the new forms of cybercrime the "
     "expert group should examine after 2021?", [1]),
    ("Which convention is held up as the example for obtaining electronic evidence?", [13]),
    ("What examples of state behaviour in cyberspace should be condemned?", [15]),
    ("Did the July 2020 recommendations call for all Member States "
     "to take part in the ad hoc committee's work?", [5]),
    ("Do the Preliminary Recommendations and Conclusions support "
     "mutual legal assistance in terrorism cases?", [8]),
    ("Does Part II of the report call for separate cybercrime units in central authorities?", [10]),
    # A tenth review, around the same rules once narrowed and the documents rule.
    ("专家组需要向预防犯罪和刑事司法委员会提交什么材料？", [2]),
    ("拟订新公约需要参考哪些文件？", [6]),
    ("直接向互联网服务供应商调取数据需要什么文件？", [13]),
    ("谈判新公约的程序可以参照哪些公约的拟订进程？", [4]),
    ("司法协助请求的传递流程中，中央机关起什么作用？", [12]),
    ("怎样减少司法协助程序中的延误？", [12]),
    ("在哪类案件中会员国应相互提供司法协助以获取电子证据？", [8]),
    ("报告提到了哪些具体案件类型需要司法协助？", [8]),
    ("有哪些案例可以作为拟订新公约的范例？", [4]),
    ("报告把哪些公约的缔结进程当作典型案例？", [4]),
    ("一共有多少个会员国的专家在会上发言？", [16]),
    ("有几个政府间组织的代表作了发言？", [17]),
    ("维也纳与会专家是否主张延长专家组的任务期限？", [1]),
    ("维也纳专家组的与会专家主张新公约应包括哪些议题？", [6]),
    ("奥地利维也纳的专家组会议上是否有人主张新公约列入跨境收集证据？", [6]),
    ("维也纳与会各国是否主张国际法适用于网络空间？", [15]),
    ("与会专家在维也纳主张新公约应包括哪些议题？", [6]),
    ("报告对《布达佩斯公约》持什么具体立场？", [13]),
    ("会员国是否主张设立单独的打击网络犯罪单位？", [10]),
    ("有发言者是否主张专家组工作不必延续到2021年以后？", [3]),
    ("出席维也纳会议的各国专家主张新公约应涵盖哪些议题？", [6]),
    ("会员国主张在新公约中列入哪些议题？", [6]),
    ("各国政府代表主张设立哪些专门队伍或单位？", [9]),
    ("作为公民，我该怎么知道哪些国家在会上发言了？", [16]),
    ("我们应该怎样看待专家组任务期限问题上的分歧？", [3]),
    ("受害者所在的国家应如何向他国请求电子证据？", [8]),
    ("用户数据跨境调取时，出示令应以哪国法律为准？", [13]),
    ("互联网用户如何知道外国出示令适用哪国法律？", [13]),
    ("公民个人关心的儿童网上性剥削问题，国际社会应如何应对？", [7]),
    ("在“地点不明”的情况下，需要先确定什么才能推进调查？", [14]),
    ("报告是否主张国家支持的网络攻击应受到谴责？", [15]),
    ("来自哪个大学的观察员也作了发言？", [17]),
    ("在维也纳召开的会议上，专家们主张哪些国际合作措施？", [8]),
    ("维也纳会议代表团是否主张新公约以协商一致为基础？", [4]),
    ("私营部门实体在获取电子证据方面有什么责任？", [8]),
    ("What documents should be submitted to the Commission on "
     "Crime Prevention and Criminal Justice in 2021?", [2]),
    ("What documents does any new convention need to take into account?", [6]),
    ("What document must a service provider receive before "
     "disclosing data directly to a foreign state?", [13]),
    ("Which documents were cited as models for the process "
     "of negotiating the new convention?", [4]),
    ("What procedure should the ad hoc committee follow when drafting the new convention?", [4]),
    ("What procedures help reduce delays in mutual legal assistance?", [12]),
    ("What forms of cybercrime should the expert group's future workplan cover?", [1]),
    ("Which country's experts spoke at the meeting?", [16]),
    ("Which countries' experts took the floor during the session?", [16]),
    ("What is the number of Member States whose experts made statements?", [16]),
    ("How many intergovernmental organizations spoke at the meeting?", [17]),
    ("How many observers from academia took the floor?", [17]),
    ("What is the number of the General Assembly resolution "
     "that established the ad hoc committee?", [2]),
    ("In what kinds of cases should Member States provide "
     "each other with mutual legal assistance?", [8]),
    ("Give a concrete example of a proven international instrument the "
     "report relies on for accessing electronic evidence.", [13]),
    ("What concrete examples of capacity-building assistance "
     "could specialized cybercrime units provide?", [10]),
    ("Which earlier UN conventions does the report cite as "
     "real examples of inclusive treaty-making?", [4]),
    ("Does the report cite terrorism cases as an example of "
     "where mutual legal assistance is needed?", [8]),
    ("How can I tell which countries took the floor at the Vienna meeting?", [16]),
    ("What should I do if I want to know which intergovernmental organizations spoke?", [17]),
    ("How should an individual Member State handle "
     "incoming mutual legal assistance requests?", [12]),
    ("What can an individual country do to strengthen its "
     "capacity against online child sexual abuse?", [7]),
    ("What steps should victim States take when they are "
     "hit by a State-sponsored cyberattack?", [15]),
    ("How can Member States speed up mutual legal assistance involving electronic evidence?", [10]),
    ("How can States reduce conflicts of law when issuing production orders directly?", [13]),
    ("Did UN Member States welcome the adoption of resolution 74/247?", [4]),
    ("Did the Expert Group propose extending its own mandate beyond 2021?", [1]),
    ("Did Beijing Normal University take part in the discussion?", [17]),
    ("Did INTERPOL make a statement at the meeting?", [17]),
    ("Did the General Assembly adopt resolution 74/247?", [4]),
    ("Did some speakers support ending the expert group's work after 2021?", [3]),
    ("What should happen to those responsible for State-sponsored attacks?", [15]),
    ("Whose law should production orders be based on, according to the report?", [13]),
    # The twelfth review, around the money, penalty, provision, which-State,
    # where-to-report and several-questions rules of the eighth session (their first
    # version refused 22 of these).
    ("Did the Chinese Delegation make a statement at the Vienna meeting?", [16]),
    ("Did the Japanese Delegation take the floor?", [16]),
    ("Was the Cuban Delegation among the speakers?", [16]),
    ("Did the Honduran Delegation speak during the session?", [16]),
    ("Did the Iranian Delegation make a statement at the Expert Group meeting?", [16]),
    ("Did the Islamic Republic of Iran make a statement?", [16]),
    ("Did the United Kingdom and the Bolivarian Republic of Venezuela both speak?", [16]),
    ("Did an observer from Beijing Normal University speak?", [17]),
    ("Which intergovernmental organizations spoke, besides the Council of Europe?", [17]),
    ("Did INTERPOL and the European Union make statements?", [17]),
    ("What role does the report give the Budapest Convention in obtaining electronic "
     "evidence?", [13]),
    ("Which earlier negotiations, such as the United Nations Convention against Transnational "
     "Organized Crime, were cited as a model for the new convention?", [4]),
    ("What did speakers propose the Commission on Crime Prevention and Criminal Justice should do "
     "about the Expert Group's mandate?", [1]),
    ("According to some speakers, when may the Ad Hoc Committee begin its work?", [2]),
    ("What does the report say about setting up a Centre of Expertise within the central "
     "authority?", [10]),
    ("Why should a separate cybercrime unit serve as a Centre of Expertise?", [10]),
    ("Was there support for a Mandate Extension beyond 2021?", [1]),
    ("What does the report say about Production Orders sent directly to Internet Service "
     "Providers?", [13]),
    ("How can Central Authorities help reduce delays in Mutual Legal Assistance?", [12]),
    ("What is the task of the Open-ended Intergovernmental Ad Hoc Committee of Experts?", [2]),
    ("What does the report recommend for Loss of Location situations?", [14]),
    ("Which principles of International Law should apply to Cyberspace?", [15]),
    ("What does the report say about Online Child Sexual Exploitation and Abuse?", [7]),
    ("What is the Private Sector's responsibility regarding electronic evidence?", [8]),
    ("What did delegates in Vienna say about the United Nations Convention against "
     "Corruption?", [4]),
    ("北京师范大学的观察员在会上做了什么？", [17]),
    ("What does the Chinese Text of paragraph 13 say about production orders?", [13]),
    ("In the Chinese Version, which intergovernmental organizations made statements?", [17]),
    ("What does the report say about making the best use of existing financial resources?", [3]),
    ("What budget considerations were raised about continuing the Expert Group beyond 2021?", [3]),
    ("What resources should Member States consider investing in to fight cybercrime?", [9]),
    ("Why did some argue that not extending the Expert Group would save financial resources?", [3]),
    ("报告在财务资源方面提出了什么考虑？", [3]),
    ("What is the penalty for state-sponsored attacks according to the report?", [15]),
    ("What are the sanctions for state-sponsored cyberattacks, according to the "
     "recommendations?", [15]),
    ("What should happen to those responsible for state-sponsored attacks?", [15]),
    ("What is the punishment suggested for those behind state-sponsored attacks?", [15]),
    ("What are the topics under a possible new convention?", [6]),
    ("What is the standard under the Budapest Convention for obtaining electronic evidence?", [13]),
    ("What was the negotiating process under the UN Convention against Corruption that the report "
     "cites as an example?", [4]),
    ("What is the role of the Ad Hoc Committee under resolution 74/247?", [2]),
    ("对国家支持的攻击活动，责任人应受到什么处理？", [15]),
    ("Which countries have delivered statements at the meeting?", [16]),
    ("Which member states have made statements?", [16]),
    ("Which countries have expressed their views at the Expert Group meeting?", [16]),
    ("Which countries have contributed statements in Vienna?", [16]),
    ("Which countries have participated in the discussion?", [16]),
    ("Which intergovernmental organizations have addressed the meeting?", [17]),
    ("一国需要获取境外电子证据时，应该向谁求助？", [8]),
    ("中央机关执行司法协助请求时应该向哪个部门求助？", [12]),
    ("会员国在打击网络犯罪方面可以向谁求助以获得能力建设支持？", [7]),
    ("Where should we turn for a proven framework for obtaining electronic evidence?", [13]),
    ("国家支持的网络攻击发生后，应该向谁追究责任？", [15]),
    ("专家组的工作计划涉及哪一年以后？还应包括哪些议题？", [1]),
    ("特设委员会应在什么时候开始工作？它的任务是什么？", [2]),
    ("When should the Expert Group submit its recommendations? What happens after that?", [2]),
    ("哪些国家的专家作了发言？还有谁发言？", [16]),
    ("Which organizations spoke? Was there also an observer?", [17]),
    ("新公约应列入哪些议题？是否应与现有框架冲突？", [6]),
    ("Until when should the Expert Group continue? What are the arguments against extending "
     "it?", [3]),
    ("什么时候之后特设委员会才可以开始工作？对会员国有什么呼吁？", [2]),
    ("How many member states spoke? Which ones?", [16]),
    ("When should the Commission decide on the work plan? What should it cover?", [1]),
    ("专家组的建议应在哪一年提交？提交给谁？", [2]),
    ("Which countries have shared their views at the meeting?", [16]),
    ("Which member states have presented statements to the Expert Group?", [16]),
    ("Did the Indonesian Delegation speak at the Expert Group meeting?", [16]),
    ("Did the Chinese Delegate speak?", [16]),
    ("Did the Chinese Government take part in the discussion?", [16]),
    ("What did the report say about a Center of Expertise?", [10]),
    ("Is a Mandate Renewal for the group recommended?", [1]),
    ("各国在司法协助方面应向谁求助？", [12]),
    ("我国作为会员国，在获取电子证据时应该去哪里求助？", [8]),
    ("When should the Expert Group's work end? What topics should the work plan include?", [3]),
    ("When can the Ad Hoc Committee begin? What should guide the new convention?", [2]),
    ("专家组什么时候向委员会提交建议？委员会随后做什么？", [2]),
    # The thirteenth review: States and officials turn to others too, a new convention
    # is no instrument in force, and who prepares cost estimates asks for no amount.
    ("发展中国家在打击网络犯罪方面遇到困难时，可以向谁求助？", [7]),
    ("会员国遇到跨境取证困难时，应该向谁求助？", [12]),
    ("会员国遭到网络攻击时应向谁求助？", [9]),
    ("国家机关在应对网上性剥削儿童问题时遇到能力不足，应向谁求助？", [7]),
    ("各国在获取电子证据时遇到法律冲突，应该找谁？", [13]),
    ("中央机关在执行司法协助请求时遇到延误，应该找谁合作？", [12]),
    ("执法机构遇到“地点不明”的情况时，应该找谁商讨管辖权？", [14]),
    ("我国遇到网络攻击应向谁求助？", [9]),
    ("What are the requirements under the new convention for the negotiation process?", [4]),
    ("Who should prepare the cost estimates for the negotiations?", [3]),
]
# And the questions they wrote that the report does not answer and the rules now catch:
# no paragraph of the seed has what each asks for (but paragraph 4's precedent, below).
REVIEWED_NEAR_MISSES = [
    # From holdout39 and 40 (read after their blind score).
    "不限成员名额特设政府间专家委员会应在何时结束谈判？",
    "What is the standard response time for MLA requests?",
    "What was the name of the INTERPOL representative?",
    "国际刑事警察组织在发言中谈到了什么？",
    "国际法委员会对网络空间主权持什么立场？",
    "Which particular ransomware attacks were cited in the report?",
    "哪些具体的国家支持的网络攻击事件被提及？",
    "What deadline did the General Assembly give the ad hoc committee to submit a draft "
    "convention?",
    "When is the ad hoc committee's work due to be completed and submitted to the General "
    "Assembly?",
    "What maximum response time did the report recommend for central authorities to execute "
    "mutual legal assistance requests?",
    "Which specific state-sponsored cyberattacks did the report cite as examples that should "
    "be condemned?",
    "国际刑事警察组织的代表在发言中具体提出了哪些建议？",
    "What is the name of the Beijing Normal University observer who spoke at the meeting?",
    # From holdout35 and 36 (read after their blind score).
    "特设委员会的第一届会议计划在哪个城市召开",
    "下一届联合国气候变化大会在哪里举行？",
    "Under these recommendations, within how many days must a central authority respond to "
    "an incoming mutual legal assistance request?",
    "这次维也纳会议一共有多少名代表到场参会？",
    "Does the report give concrete examples of ransomware attacks?",
    "What real-world case studies of cross-border evidence gathering does the report describe?",
    "How can victims of online fraud get their money back?",
    "What should ordinary citizens do to protect themselves from phishing?",
    "How should parents protect their children from online sexual exploitation?",
    "How can people protect themselves from ransomware attacks?",
    "What should I do if my computer is infected with ransomware?",
    "Did the United States support using the Budapest Convention as the basis for a new treaty?",
    "Did China oppose extending the expert group's mandate beyond 2021?",
    "Did the European Union support the ad hoc committee starting work only after 2021?",
    "Did INTERPOL back the creation of centralized cybercrime units?",
    "What budget was allocated to the expert group for 2021?",
    "What funding was provided for capacity building against online child sexual exploitation?",
    "Which funds were earmarked for regional criminal investigation technical units?",
    "报告有没有举出勒索软件攻击的具体案例？",
    "报告中有什么网络诈骗的典型案例？",
    "个人遭遇网络诈骗后，应当如何报案？",
    "受害人应如何申请赔偿？",
    "普通用户怎样才能防范钓鱼邮件？",
    "被害人应该如何保存电子证据？",
    "中国专家对《布达佩斯公约》持什么具体立场？",
    "美国代表主张新公约应包含哪些条款？",
    "俄罗斯政府对专家组任务期限持何种态度？",
    "日本专家是否支持延长专家组的任务期限？",
    "各国为专家组2021年的工作拨款多少？",
    "According to the report, did Japan support extending the expert group's mandate?",
    "中国在会上是否主张延长专家组的任务期限？",
    "德国专家的主张是什么？",
    "What budget did Member States allocate to centralized cybercrime teams?",
    "Give me an example of a cybercrime case prosecuted under the Budapest Convention.",
    "What are some real cases of state-sponsored cyberattacks mentioned in the report?",
    "报告引用了哪个真实的网络犯罪案件？",
    "What steps should internet users take to secure their accounts?",
    "老年人怎样防范电信诈骗？",
    "What documents must accompany a mutual legal assistance request?",
    "Which country's expert proposed extending the expert group's mandate?",
    "Which country's delegation opposed continuing the expert group beyond 2021?",
    "Which country's representative welcomed resolution 74/247?",
    "Which State's experts called for a consensus-based negotiating process?",
    "What is the maximum number of days a State has to "
    "respond to a mutual legal assistance request?",
    "What is the minimum number of days for processing an urgent request for electronic evidence?",
    "Does the report cite any real-world cases of ransomware attacks?",
    "Can you give a case study of a successful cross-border cybercrime prosecution?",
    "What should victims of online fraud do to report the crime?",
    "How can ordinary users protect themselves from phishing?",
    "How can individuals get their data back after a ransomware attack?",
    "Did China support extending the expert group's mandate beyond 2021?",
    "Did the European Union oppose drafting a new convention?",
    "Did Iran object to using the Budapest Convention as the standard?",
    "提出司法协助请求需要准备哪些材料？",
    "申请以观察员身份出席专家组会议需要提供哪些资料？",
    "报告有没有举出勒索软件攻击的具体案例？",
    "报告中提到了哪些真实的网络犯罪案件？",
    "个人遭遇网络诈骗后，应当如何报案？",
    "用户如何保护自己的账户免受黑客攻击？",
    "受害者怎样才能删除网上传播的儿童性虐待图片？",
    "中国专家是否主张延长专家组的任务期限？",
    "日本代表对新公约持什么具体立场？",
    "伊朗专家主张新公约应包括哪些条款？",
    "哪个国家的专家提议延长专家组的任务期限？",
    "司法协助请求最多多少天内必须答复？",
    "北京师范大学的观察员发言的主要内容是什么？",
    "欧洲联盟代表在维也纳主张新公约应以哪些文书为基础？",
    "普通民众应该怎样举报网上性剥削儿童的内容？",
    # From holdout29 and 30 (read after their blind score).
    "Where should I report a phishing scam?",
    "What budget estimate does the report give for the ad hoc committee's negotiations?",
    "What is the penalty under the Budapest Convention for illegal access to a computer?",
    # The twelfth review's questions the eighth session's rules catch.
    "我的账号被盗了，应该找谁？",
    "What budget estimate does the report give for the Ad Hoc Committee?",
    "What cost figures were given for creating centralized cybercrime units?",
    "What funding projections are given for capacity building?",
    "What is the penalty under the Budapest Convention for illegal access?",
    "What is the sanction under the Convention against Corruption for bribery?",
    "What is the fine under the Budapest Convention for service providers that refuse production "
    "orders?",
    "Which countries have already set up specialized cybercrime units?",
    "Which countries have established separate cybercrime units in their central authorities?",
    "Which countries have built electronic databases of mutual legal assistance statistics?",
    "我被网络诈骗了，应该去哪里报案？",
    "孩子在网上遭到性剥削，家长应该向谁求助？",
    "Where should I report a cyberattack on my company?",
    "Where can victims of online child sexual abuse go to report it?",
    "Where should citizens complain about online fraud?",
    "When will the new convention take effect?",
    "When will resolution 74/247 take effect?",
    "When does the extension of the Expert Group's mandate take effect?",
    "新公约什么时候生效？谈判应遵循什么原则？",
    "When will the new convention take effect? What principles should guide the negotiations?",
    "What did the World Health Organization say about cybercrime?",
    "Where should a victim report online fraud?",
    "Where should the victims of cybercrime report it?",
    "Where to report cybercrime?",
    "Who should I contact if my account is hacked?",
    "被网络诈骗后在哪里报案？",
    "遇到网络诈骗应该找谁？",
    "哪里可以举报网上儿童色情内容？",
    "What are the cost estimates for the Ad Hoc Committee?",
    "Is there a cost estimate for the new cybercrime units?",
    "How much will the specialized units cost?",
    "When does the new convention take effect, and who drafts it?",
    "When will the new treaty come into effect?",
    "When will the Expert Group hold its next meeting? What did it recommend on capacity building?",
    "Which countries have set up a 24/7 network?",
    "What did the Shanghai Cooperation Organisation say?",
]


@pytest.mark.parametrize(("question", "numbers"), NAMED_PHRASINGS + REVIEWED_PHRASINGS,
                         ids=[q for q, _ in NAMED_PHRASINGS + REVIEWED_PHRASINGS])
def test_named_phrasings_pass_on_the_paragraph_that_answers(
        answerer: Answerer, question: str, numbers: list[int]) -> None:
    profile = profile_question(question, known=answerer.index.knows_words)
    seed = parse_file(SEED)
    for paragraph in (p for p in seed.paragraphs if p.number in numbers):
        headings = "\n".join([seed.title, *paragraph.section])
        assert profile.missing(paragraph.text, headings=headings) == [], (profile, paragraph.number)


@pytest.mark.parametrize("question", REVIEWED_NEAR_MISSES, ids=REVIEWED_NEAR_MISSES)
def test_reviewed_near_misses_fail_on_every_paragraph(
        paragraphs: dict[int, str], question: str) -> None:
    profile = profile_question(question)
    assert profile.requirements(), "the question asks for nothing in particular"
    passing = [number for number, text in paragraphs.items() if not profile.missing(text)]
    # Paragraph 4 gives a precedent ("可作为范例"), which a question for a real case may
    # take as one; for these questions it is not among the closest passages.
    assert passing == [] or (CASE in profile.types and passing == [4]), (profile, passing)


def test_a_date_after_which_one_may_only_begin_is_the_other_s_deadline(
        paragraphs: dict[int, str]) -> None:
    # Paragraph 2: the committee may begin only after the expert group completes its
    # recommendations and submits them in 2021. That year is the group's deadline and the
    # committee's earliest start, not when the committee must finish.
    for question in ("By what deadline must the ad hoc committee finish drafting the "
                     "convention?",
                     "特设委员会最迟什么时候要完成谈判？",
                     "特设政府间专家委员会计划在哪一年完成新公约的谈判并提交大会通过？"):
        assert profile_question(question).missing(paragraphs[2]) == ["a date or time"], question
    # Asked of the group, its recommendations or the Commission, or of when the committee
    # may begin, it answers (a second review's phrasings).
    for question in ("By when must the recommendations be submitted to the Commission?",
                     "By which year must the expert group submit its recommendations?",
                     "When must the experts finish?",
                     "专家组应在哪一年完成并提交建议？",
                     "When can the ad hoc committee begin its work?",
                     "特设委员会什么时候可以开始工作？",
                     "When should the findings be submitted to the Commission on Crime "
                     "Prevention and Criminal Justice?",
                     "When must the group submit its output to the Commission?",
                     "By what year must the study be completed and submitted to the Commission?",
                     "哪一年要向预防犯罪和刑事司法委员会提交成果？",
                     "小组应在何年完成并提交其成果？",
                     "什么时候要完成并提交给预防犯罪委员会？",
                     "特设委员会要等专家组在哪一年完成建议之后才能开始工作？",
                     "When must the expert group finish before the committee can start?",
                     # The fifteenth review's: waiting for the group's output by other names,
                     # and the Commission as 委员会.
                     "小组须在哪一年提交成果，特设委员会才能工作？",
                     "特设委员会须等到哪一年，待相关成果提交之后才能工作？",
                     "In which year must the Group submit its findings so the ad hoc "
                     "committee can proceed?",
                     "When must the Group finish before the committee can take over?",
                     "In what year will the ad hoc committee's wait end?",
                     "What has to be submitted, and by when, before the Ad Hoc Committee can "
                     "get going?",
                     "报告要求在哪一年向委员会提交成果？",
                     "小组成果应何时提交委员会？",
                     "When should the group's findings be submitted to the committee?"):
        assert profile_question(question).missing(paragraphs[2]) == [], question
    for question in ("特设委员会的任务何时完成？",
                     "When must the ad hoc committee finish its work?",
                     "What deadline did the General Assembly give the ad hoc committee to "
                     "submit a draft convention?"):
        assert profile_question(question).missing(paragraphs[2]) == ["a date or time"], question
    assert profile_question("专家委员会什么时候要完成公约谈判？").missing(
        paragraphs[2]) == ["a date or time"]
    # A sentence that also dates what the committee does answers; so does one whose
    # body does something else than begin once the other has finished.
    also_dated = paragraphs[2].replace("方可开始开展工作。",
                                       "方可开始开展工作，并应于 2023 年完成谈判。")
    assert profile_question("特设委员会应在何时完成谈判？").missing(also_dated) == []
    assert profile_question("When must the Conference of the Parties adopt its rules?").missing(
        "The Conference of the Parties should adopt its rules only once the Secretariat has "
        "completed the consultations in 2024.") == []
    # Said of the committee itself, the date answers.
    assert profile_question("特设委员会最迟什么时候要完成谈判？").missing(
        "特设委员会应于 2024 年完成谈判。") == []


def test_who_pays_response_times_and_named_speakers_ask_for_what_is_named(
        paragraphs: dict[int, str]) -> None:
    # Paragraph 9: Member States should invest resources; no body that pays is named.
    for question in ("Which international body should fund the regional units?",
                     "报告建议设立的区域刑事调查技术单位应由哪个国际机构出资？"):
        funded = profile_question(question)
        assert funded.types == (SPEAKER,), question
        assert funded.missing(paragraphs[9]) == ["a named state, organisation or person"]
    assert profile_question("谁应该出资建立这些单位？").types == ()
    # Paragraph 12 asks to reduce delays; it sets no time.
    for question in ("What response time does the report set for central authorities?",
                     "答复司法协助请求的最长时限是多少？"):
        assert profile_question(question).missing(paragraphs[12]) == ["a length of time"]
    # Paragraph 17 says INTERPOL spoke, not what it proposed.
    interpol = profile_question("国际刑事警察组织的代表在发言中具体提出了哪些建议？")
    assert interpol.types == (VIEW,)
    assert interpol.missing(paragraphs[17]) == ["what a named party said"]
    assert profile_question("国际组织的代表提出了哪些建议？").types == ()
    # Which attacks should be condemned is paragraph 15's; which specific ones it cites
    # is a real case.
    assert profile_question("Which attacks should be condemned?").types == ()
    assert profile_question("报告点名了哪些具体的网络攻击事件？").types == (CASE,)
    assert profile_question("What is the name of the expert group?").types == ()


def test_a_condition_an_age_and_a_rate_of_change(
        paragraphs: dict[int, str]) -> None:
    # 几国 in a condition (要是……) is "several States", not "how many".
    question = "执法部门直接给网络公司下调取令时，要是几国法律规定打架了，报告说该按谁家的法律来？"
    assert profile_question(question).types == ()
    # Paragraph 17's "一名观察员" is a number; paragraphs 1 and 9 give none.
    for question, number in (
            ("What age threshold does the report use to define a child?", 1),
            ("专家组统计的网上性虐待和性剥削儿童案件每年增长了多少？", 1)):
        assert profile_question(question).missing(paragraphs[number]) == ["a number"], question
    grew = profile_question("网上性剥削儿童案件每年增长了多少？")
    assert grew.types == (QUANTITY,)
    assert grew.missing(paragraphs[1]) == ["a number"]
    assert grew.missing("此类案件每年增长百分之二十。") == []

