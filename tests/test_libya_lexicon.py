"""The shipped Libya 2019-2020 lexicon on sentences written for the test: what it must read, and
what it must leave alone."""

import pytest

from framing import score


def _matches_of(text, surface):
    """The matches of ``text`` whose surface is ``surface``, checked to be one."""
    found = [m for m in score(text).matches if m.text == surface]
    assert len(found) == 1, [(m.text, m.kind) for m in score(text).matches]
    return found


READS = [
    # (text, surface, kind, target, polarity, weight, voice)
    # 'repelling the aggression' is the GNA's phrase; 'repelling the Turkish aggression' the LNA's
    ("تواصل القوات عملياتها لصد العدوان على أحياء العاصمة.", "لصد العدوان", "naming", "gna", "favorable", 1.5,
     "narrator"),
    ("أطلقت القيادة عملية جديدة هدفها دحر العدوان التركي عن البلاد.", "دحر العدوان التركي", "naming", "turkey",
     "unfavorable", 1.5, "narrator"),
    # a loaded word is not a side
    ("قصفت ميليشيات الوفاق الأحياء الجنوبية.", "ميليشيات", "evaluative", "gna", "unfavorable", 1.5, "narrator"),
    ("قصفت ميليشيات حفتر الأحياء الجنوبية.", "ميليشيات", "evaluative", "lna", "unfavorable", 1.5, "narrator"),
    # the Kaniyat's common name is a weak signal, not a free choice of «ميليشيات»
    ("انسحبت مليشيا الكانيات من ترهونة.", "مليشيا الكانيات", "naming", "lna", "unfavorable", 0.5, "narrator"),
    # wire copy's 'self-proclaimed' is weak distancing
    ("تقدمت قوات الجيش الوطني الليبي الذي أعلن نفسه نحو سرت.", "الذي أعلن نفسه", "evaluative", "lna",
     "unfavorable", 0.5, "narrator"),
    # a self-description is the subject's claim
    ("إن حكومة تقدم نفسها بوصفها الحكومة الشرعية تمنع التظاهر.", "الحكومة الشرعية", "naming", "gna",
     "favorable", 1.0, "quoted"),
    # what a report documents is the report's account; the agent clause names the perpetrator
    ("وثق التقرير أعمال نهب وحرق نفذتها مجموعات تابعة لحكومة الوفاق.", "نهب", "evaluative", "gna",
     "unfavorable", 1.0, "quoted"),
    # both camps call their own forces «the Libyan army»: a spokesman gives it to his camp
    ("وقال قنونو إن الجيش الليبي صد هجوما على مطار طرابلس.", "الجيش الليبي", "evaluative", "gna", "favorable",
     0.5, "quoted"),
    ("وقال المسماري إن الجيش الليبي صد هجوما على قاعدة الجفرة.", "الجيش الليبي", "evaluative", "lna",
     "favorable", 0.5, "quoted"),
    # ... and a qualifier naming the camp is a longer naming row
    ("تقدم الجيش الليبي بقيادة المشير نحو سرت.", "الجيش الليبي بقيادة المشير", "naming", "lna", "favorable",
     0.75, "narrator"),
    ("انتشرت وحدات الجيش الليبي التابع للمجلس الرئاسي في الجنوب.", "الجيش الليبي التابع للمجلس الرئاسي",
     "naming", "gna", "favorable", 1.0, "narrator"),
    # liberation and cleansing praise whoever does it, not the actor named after the word
    ("وقال المسماري في بيان إن وحداتنا أكملت تطهير أحياء جنوب العاصمة من سيطرة ميليشيات الوفاق.", "تطهير",
     "evaluative", "lna", "favorable", 1.0, "quoted"),
    ("وأكد قنونو أن قواتنا أنجزت تحرير طرابلس من قوات حفتر.", "تحرير طرابلس", "evaluative", "gna",
     "favorable", 1.5, "quoted"),
    # the Brotherhood's sneering name names the camp: the militias are its
    ("قصفت ميليشيات الإخونج الأحياء الجنوبية.", "الإخونج", "naming", "gna", "unfavorable", 1.0, "narrator"),
    # an indefinite word in the accusative, with its alef
    ("ارتكبت ميليشيات حفتر انتهاكا جديدا للهدنة.", "انتهاكا", "evaluative", "lna", "unfavorable", 1.0,
     "narrator"),
    # ... on every word of a phrase: the phrase, not the praise of «تطهير» alone
    ("ارتكبت ميليشيات حفتر تطهيرا عرقيا في ترهونة.", "تطهيرا عرقيا", "evaluative", "lna", "unfavorable", 2.0,
     "narrator"),
    # a plural in construct is no first person: the LNA's spokesman accuses, he is not accused
    ("وقال المسماري إن الأتراك نقلوا إرهابيي داعش إلى ليبيا.", "إرهابيي", "evaluative", "gna", "unfavorable",
     1.5, "quoted"),
    # rights abuse goes to the perpetrator
    ("تتواصل انتهاكات قوات حفتر بحق سكان الأحياء الجنوبية.", "انتهاكات", "evaluative", "lna", "unfavorable",
     1.0, "narrator"),
    ("كشفت الصور فظائع ارتكبتها ميليشيا الكانيات في ترهونة.", "فظائع", "evaluative", "lna", "unfavorable",
     1.5, "narrator"),
    ("تحدث الناجون عن التمثيل بالجثث على أيدي مسلحي السراج.", "التمثيل بالجثث", "evaluative", "gna",
     "unfavorable", 2.0, "narrator"),
    # rank denial and personalising names
    ("أعلن المشير المتقاعد خليفة حفتر النفير العام.", "المشير المتقاعد", "naming", "lna", "unfavorable", 1.0,
     "narrator"),
    ("أصابت قذيفة أطلقها الضابط المتقاعد خليفة حفتر مدرسة.", "الضابط المتقاعد", "naming", "lna",
     "unfavorable", 1.0, "narrator"),
    ("قصف طيران حفتر مستشفى ميدانيا جنوب العاصمة.", "طيران حفتر", "naming", "lna", "unfavorable", 0.75,
     "narrator"),
    ("تسللت عناصر حفتر إلى محور عين زارة.", "عناصر حفتر", "naming", "lna", "unfavorable", 0.5, "narrator"),
    ("تراجعت قوات السراج إلى أطراف المدينة.", "قوات السراج", "naming", "gna", "unfavorable", 0.5, "narrator"),
    ("يواصل مختطفو العاصمة نهب المصارف.", "مختطفو العاصمة", "naming", "gna", "unfavorable", 2.0, "narrator"),
    # actors the rules used to miss give loaded words their target
    ("انسحبت ميليشيات فجر ليبيا من المطار.", "ميليشيات", "evaluative", "gna", "unfavorable", 1.5, "narrator"),
    ("اقتحمت عصابات الردع مقر الشركة.", "عصابات", "evaluative", "gna", "unfavorable", 1.5, "narrator"),
    ("ويتواصل عجز الرئاسي عن دفع الرواتب.", "عجز", "evaluative", "gna", "unfavorable", 0.75, "narrator"),
    ("دخل مسلحو الأمن المركزي حي الهضبة.", "مسلحو", "evaluative", "gna", "unfavorable", 0.75, "narrator"),
    ("قاد المبروك الغزوي الهجوم على المطار.", "المبروك الغزوي", "actor", "lna", None, 0.0, "narrator"),
    # a Darfur faction's name, not a liberation: «تجمع قوات تحرير السودان» and its kin
    ("انضم مقاتلون من تجمع قوات تحرير السودان إلى محور الجفرة.", "تحرير السودان", "actor", "sudanese_fighters",
     None, 0.0, "narrator"),
    # those holding the front; seizing the capital with a pronoun in the middle of the phrase
    ("تقدمت قوات الوفاق المرابطة في محور عين زارة.", "المرابطة", "evaluative", "gna", "favorable", 1.0,
     "narrator"),
    ("فشلت قوات حفتر في استيلائها على العاصمة.", "استيلائها على العاصمة", "naming", "lna", "unfavorable",
     1.0, "narrator"),
    # distancing, demonising, governance failure and rout
    ("تحدث حفتر عن نصر قريب على حد زعمه.", "على حد زعمه", "evaluative", "lna", "unfavorable", 1.0,
     "narrator"),
    ("يتلقى محور الشر في أبوظبي الأوامر.", "محور الشر", "evaluative", "uae", "unfavorable", 2.0, "narrator"),
    ("يتكرر فشل حكومة الوفاق في توفير الوقود.", "فشل", "evaluative", "gna", "unfavorable", 0.75, "narrator"),
    ("تطارد الوحدات فلول ميليشيات الوفاق في الضواحي.", "فلول", "evaluative", "gna", "unfavorable", 1.5,
     "narrator"),
    ("فرت ميليشيات حفتر تاركة أسلحتها في الوادي.", "تاركة أسلحتها", "evaluative", "lna", "unfavorable", 1.5,
     "narrator"),
    # truce violations go to the violator; seizing the capital is the LNA's aim in pro-GNA narration
    ("تواصل خرق قوات حفتر للهدنة في عين زارة.", "خرق", "evaluative", "lna", "unfavorable", 1.0, "narrator"),
    ("انتهت محاولة الاستيلاء على العاصمة بالفشل.", "الاستيلاء على العاصمة", "naming", "lna", "unfavorable",
     1.0, "narrator"),
    ("تحدثت الصحف عن هزيمة قوات حفتر المذلة.", "المذلة", "evaluative", "lna", "unfavorable", 1.0, "narrator"),
    ("أشاد الأهالي ببسالة مقاتلي بركان الغضب.", "ببسالة", "evaluative", "gna", "favorable", 1.0, "narrator"),
    # spellings and inflections real outlets use
    ("تقدمت ملشيات حفتر نحو المطار.", "ملشيات", "evaluative", "lna", "unfavorable", 1.5, "narrator"),
    ("وتقدمت مليشات حفتر نحو الطريق الساحلي.", "مليشات", "evaluative", "lna", "unfavorable", 1.5, "narrator"),
    ("قتل في المعارك خمسون مرتزقا سوريا.", "مرتزقا سوريا", "naming", "syrian_fighters", "unfavorable", 1.5,
     "narrator"),
    ("سقط شهيدين من قوات الوفاق قرب الطويشة.", "شهيدين", "evaluative", "gna", "favorable", 1.0, "narrator"),
    ("تجتمع حكومة الصخيرات غير المعتمدة في طرابلس.", "غير المعتمدة", "evaluative", "gna", "unfavorable", 1.5,
     "narrator"),
    # «زعم» for «قال»: the narrator's doubt about the subject after it, and still the verb of a statement
    ("وزعم حفتر أن قواته تقدمت في أحياء العاصمة.", "وزعم", "evaluative", "lna", "unfavorable", 0.75, "narrator"),
    ("كما زعم الناطق العسكري لقوات حفتر أن المدرج سليم.", "زعم", "evaluative", "lna", "unfavorable", 0.75,
     "narrator"),
    ("وبحسب ما زعمت تركيا أمس فإن سفنها باقية.", "زعمت", "evaluative", "turkey", "unfavorable", 0.75,
     "narrator"),
    ("ادعت حكومة الوفاق أن المطار استهدف.", "ادعت", "evaluative", "gna", "unfavorable", 0.75, "narrator"),
    # indefinite, plural and reversed forms of the same families
    ("لا مكان لأمير حرب في مستقبل البلاد.", "لأمير حرب", "evaluative", None, "unfavorable", 2.0, "narrator"),
    ("تنشر الصحف صور العثمانيين الغزاة في شوارع طرابلس.", "العثمانيين الغزاة", "naming", "turkey", "unfavorable", 2.0,
     "narrator"),
    ("يرفض أهالي سرت عودة الغزو العثماني إلى مدينتهم.", "الغزو العثماني", "naming", "turkey", "unfavorable", 2.0,
     "narrator"),
    ("لن يبقى في البلاد محتلون بعد اليوم.", "محتلون", "evaluative", None, "unfavorable", 2.0, "narrator"),
    ("صمد المدافعون عن العاصمة أمام الهجوم.", "المدافعون عن العاصمة", "naming", "gna", "favorable", 1.5, "narrator"),
    # the nominative plural as a subject is written, beside the genitive and accusative
    ("قال إن الخارجون عن القانون يحكمون العاصمة.", "الخارجون عن القانون", "evaluative", None, "unfavorable", 1.5,
     "quoted"),
    ("وقتل المدنيون الأبرياء في القصف.", "المدنيون الأبرياء", "evaluative", None, "unfavorable", 1.0, "narrator"),
    # indefinite constructs beside the definite ones
    ("تدير البلاد حكومة ميليشيات لا تعترف بالقانون.", "حكومة ميليشيات", "naming", "gna", "unfavorable", 1.5,
     "narrator"),
    ("طالبت المنظمة بمحاكمة مجرمي حرب في ترهونة.", "مجرمي حرب", "evaluative", None, "unfavorable", 2.5, "narrator"),
    # after «لـ / بـ» an adjective's word is a noun the preposition governs, which the bare rule
    # reads (support FOR the terrorists); a camp's own name stays the unit's army
    ("ندد المسماري بالدعم التركي للإرهابيين.", "للإرهابيين", "evaluative", "gna", "unfavorable", 2.0, "narrator"),
    ("تواصل إدارة التوجيه المعنوي بالجيش الليبي نشر الصور.", "بالجيش الليبي", "evaluative", "lna", "favorable",
     0.5, "narrator"),
    # «العدو» in a camp's statement is the other camp; in the narrator's voice it names no one
    ("وقال المسماري إن قواتنا كبدت العدو خسائر فادحة.", "العدو", "evaluative", "gna", "unfavorable", 1.0, "quoted"),
    ("وقال قنونو إن قواتنا دمرت آليات العدو.", "العدو", "evaluative", "lna", "unfavorable", 1.0, "quoted"),
    ("وتقدم العدو نحو المدينة.", "العدو", "evaluative", None, "unfavorable", 1.0, "narrator"),
    # the Turkish enemy; the Dignity gangs
    ("وقصف طيران العدو التركي قاعدة الوطية.", "العدو التركي", "naming", "turkey", "unfavorable", 2.0, "narrator"),
    ("وقصفت عصابات الكرامة الأحياء السكنية.", "عصابات الكرامة", "naming", "lna", "unfavorable", 1.5, "narrator"),
    # the nominative and singular forms of the African mercenaries, as of the Syrian ones
    ("ويقاتل مرتزقة تشاديون إلى جانب قوات حفتر.", "مرتزقة تشاديون", "naming", "sudanese_fighters", "unfavorable",
     1.5, "narrator"),
    ("قتل مرتزق سوداني في المعارك جنوب العاصمة.", "مرتزق سوداني", "naming", "sudanese_fighters", "unfavorable",
     1.5, "narrator"),
    # a backer as an Ottoman sultan and its proxies as his slaves; a tyrant; a rout
    ("يحلم السلطان العثماني بثروات ليبيا.", "السلطان العثماني", "naming", "turkey", "unfavorable", 1.5, "narrator"),
    ("تقدمت ميليشيات عبيد السلطان نحو سرت.", "عبيد السلطان", "naming", "gna", "unfavorable", 2.0, "narrator"),
    ("رفض البرلمان التدخل التركي السافر في البلاد.", "التدخل التركي السافر", "naming", "turkey", "unfavorable", 1.5,
     "narrator"),
    ("يقصف الطاغية حفتر أحياء العاصمة.", "الطاغية", "evaluative", "lna", "unfavorable", 2.0, "narrator"),
    ("انسحبت قوات حفتر المنهزمة من المطار.", "المنهزمة", "evaluative", "lna", "unfavorable", 1.5, "narrator"),
]

LEAVES_ALONE = [
    # (text, surface that must not be scored as evidence)
    # «تزعّم» (led) and «يُدعى» (is called) are spelled as «تزعم» (she claims) and «يدعي» (he claims)
    ("تزعم الورفلي كتيبة في بنغازي.", "تزعم"),
    # «العدوى» (contagion) is no «العدو» + «ي» ('my enemy')
    ("وحذرت الوزارة من انتشار العدوى في السجون.", "العدوى"),
    ("وطالبت بالحد من انتقال عدوى الفيروس.", "عدوى"),
    # names take no accusative alef: «مصرا» is 'insistent', «قطرا» 'a country'
    ("وبدا السفير مصرا على موقفه.", "مصرا"),
    ("زار الوفد قطرا عربيا آخر.", "قطرا"),
    ("وقاد الهجوم ضابط يدعى سالم من مصراتة.", "يدعى"),
    ("يحتجز مئات المهاجرين في مراكز جهاز مكافحة الهجرة غير الشرعية.", "غير الشرعية"),
    ("دعا المبعوث إلى روح الوفاق بين الليبيين.", "الوفاق"),
    # spokesmen are full names where the surname alone is an ordinary word
    ("طالب ناشطون في المجتمع المدني بوقف القتال.", "المدني"),
    ("أعيدت الأموال إلى بيت المال في المدينة.", "بيت المال"),
    ("قدرت الخسائر المادية بالملايين.", "مادي"),
    ("رحبت الحكومة الشرعية في اليمن بالاتفاق.", "الحكومة الشرعية"),
    # «الشرعي / الشرعية» in its other senses: forensics, a contest over legitimacy, conferring it
    ("وصل فريق الطب الشرعي إلى موقع المقابر في ترهونة.", "الشرعي"),
    ("يتنازع المعسكران الشرعية والسلطة منذ خمس سنوات.", "الشرعية"),
    ("تسعى أنقرة إلى إضفاء الشرعية على مذكرة التفاهم.", "الشرعية"),
    # «تحرير» and «تطهير» in their other senses
    ("قال رئيس التحرير إن العدد سيصدر غدا.", "تحرير"),
    ("تسيطر هيئة تحرير الشام على إدلب.", "تحرير"),
    ("أطلقت البلدية حملة تطهير وتعقيم للمدارس.", "تطهير"),
    ("قرر المصرف تحرير سعر الصرف.", "تحرير"),
    ("إعداد وتحرير: قسم الأخبار الدولية.", "تحرير"),
    # ISIS called terrorist is about neither camp: both fought it
    ("عانت المدينة من سيطرة تنظيم داعش الإرهابي سنوات.", "الإرهابي"),
    # the adjective «presidential» and ordinary «deterrence»
    ("قال المتحدث الرئاسي التركي إن أنقرة تتابع الوضع.", "الرئاسي"),
    ("ناقش المؤتمر الردع النووي في أوروبا.", "الردع"),
    # a deficit or a kidney failure is nobody's defeat; fighting corruption accuses nobody
    ("ارتفع عجز الموازنة العامة هذا العام.", "عجز"),
    ("توفي المريض بسبب الفشل الكلوي.", "فشل"),
    ("أعلنت هيئة مكافحة الفساد نتائج التحقيق.", "الفساد"),
    ("استأصل الأطباء ورم خبيث من الكبد.", "خبيث"),
    # disarming the militias is every peace plan's aim, not a name for one camp's forces
    ("دعت المبادرة إلى تفكيك الميليشيات وتسليم أسلحتها.", "الميليشيات"),
    ("ناقش الاجتماع نزع سلاح المليشيات ودمج عناصرها.", "المليشيات"),
    # a denial is not an accusation
    ("تروج قنوات الوفاق لقصة مرتزقة فاغنر الوهمية منذ أشهر.", "مرتزقة"),
    ("نشرت الصحيفة تقريرا عن الجرائم المزعومة في ترهونة.", "جرائم"),
    # wire copy attributes the 'popular mandate' without endorsing it
    ("أعلن حفتر قبوله ما وصفه بالتفويض الشعبي.", "التفويض"),
    # wire copy reports truce accusations as mutual
    ("تبادل الطرفان الاتهامات بخرق الهدنة مساء الأحد.", "خرق"),
    # wire profiles call Haftar «الجنرال» too: only «المتقاعد» denies his rank
    ("التقى الوفد الأوروبي الجنرال خليفة حفتر في بنغازي.", "الجنرال"),
    # the ICC prosecutor is no 'claimant'
    ("طالبت المدعية العامة للمحكمة الجنائية الدولية بتسليم المتهمين.", "المدعية"),
    # «غازي» is a first name: only the definite «الغازي» is the invader
    ("وقال غازي المصراتي إن السوق فتحت أبوابها.", "غازي"),
]

# The both-camps self-names and liberation words never take the actor AFTER them: that is usually
# the enemy. (text, surface, the target it must not get)
NOT_THE_NEXT_ACTOR = [
    ("تقدم الجيش الليبي نحو مواقع حكومة الوفاق.", "الجيش الليبي", "gna"),
    ("أعلنت الغرفة تحرير منطقة القربولي من قوات حفتر.", "تحرير", "lna"),
    ("واصلت الوحدات تطهير المنطقة من ميليشيات الوفاق.", "تطهير", "gna"),
]


@pytest.mark.parametrize("text,surface,kind,target,polarity,weight,voice", READS)
def test_reads(text, surface, kind, target, polarity, weight, voice):
    found = _matches_of(text, surface)
    m = found[0]
    assert (m.kind, m.target, m.polarity, m.weight, m.voice) == (kind, target, polarity, weight, voice)


@pytest.mark.parametrize("text,surface,wrong", NOT_THE_NEXT_ACTOR)
def test_shared_words_do_not_take_the_actor_after_them(text, surface, wrong):
    found = _matches_of(text, surface)
    assert found[0].polarity == "favorable" and found[0].target != wrong


# A plural verb («عذبوا»، «استسلموا»، «فروا هاربين») did what the actor right before it did: its
# subject. The actor after it is its object, and is never taken. (text, surface, target, rule)
PLURAL_VERBS = [
    ("أكد المرصد أن مسلحين تابعين لقوات حفتر عذبوا أسرى في ترهونة.", "عذبوا", "lna", "subject"),
    ("وفي الجنوب مسلحو حفتر استسلموا للقوات بعد حصار طويل.", "استسلموا", "lna", "subject"),
    ("وكان عناصر من ميليشيات الوفاق فروا هاربين من المحور.", "فروا هاربين", "gna", "subject"),
    # must not: the victims named after the verb, or a subject cut off by a comma
    ("وفي الجنوب مسلحون مجهولون عذبوا عناصر من قوات حفتر.", "عذبوا", None, None),
    ("عناصر من قوات حفتر، بحسب المرصد، عذبوا أسرى.", "عذبوا", None, None),
]


@pytest.mark.parametrize("text,surface,target,rule", PLURAL_VERBS)
def test_a_plural_verb_takes_its_subject_before_it(text, surface, target, rule):
    found = _matches_of(text, surface)
    assert (found[0].target, found[0].rule) == (target, rule)


# Pro-LNA outlets call the GNA's forces «الميليشيات» and «الإرهابيين» and its camp «إخواني»
# without naming anyone, and the GNA camp calls Haftar's offensive «العدوان»: with no actor in
# reach and no direction from the article, those words mean that party (the lexicon's ``bare``
# column). (text, surface, target, rule)
BARE_WORDS = [
    ("واصلت الميليشيات قصف الأحياء الجنوبية.", "الميليشيات", "gna", "bare"),
    ("وتسللت العناصر الإرهابية إلى الأحياء الجنوبية.", "الإرهابية", "gna", "bare"),
    ("ودعا الكاتب إلى التصدي للمشروع الإخواني في البلاد.", "الإخواني", "gna", "bare"),
    # the sneering spellings of the same words
    ("وفر الإخونجية من المدينة بعد هزيمتهم.", "الإخونجية", "gna", "bare"),
    ("وتحاول الجماعات المتأسلمة عرقلة الحل السياسي.", "المتأسلمة", "gna", "bare"),
    ("وتواصل القوات المعتدية قصف الأحياء.", "المعتدية", "lna", "bare"),
    # must NOT: bare mercenaries are every outlet's word for both camps' foreign fighters, and
    # «الانقلابية», measured with no evidence either way, has none
    ("وصل المرتزقة إلى القاعدة الجوية أمس.", "المرتزقة", None, None),
    ("وتواصل القوى الانقلابية التحريض على العنف.", "الانقلابية", None, None),
    # must NOT: indefinite, they are new ones, whoever they are
    ("وتسللت عناصر إرهابية إلى الأحياء الجنوبية.", "إرهابية", None, None),
    ("وتقاتلت عشرات الميليشيات في الشرق والغرب.", "الميليشيات", None, None),
    # must NOT: a pro-GNA article names Haftar first, and the bare word refers back to him
    ("قصفت ميليشيات حفتر المطار. وواصلت الميليشيات قصف الأحياء الجنوبية.", "الميليشيات", "lna", "anaphora"),
]


@pytest.mark.parametrize("text,surface,target,rule", BARE_WORDS)
def test_bare_words_of_one_camp(text, surface, target, rule):
    found = _matches_of(text, surface)
    assert (found[0].target, found[0].rule) == (target, rule)


# Both camps call their forces «الجيش الليبي» and their authority «الحكومة الليبية». Right after a
# reporting verb, or opening the clause, such a name is the verb's subject: the statement is a
# camp's that the clause does not say, and the actor after it is whom it accuses.
# (text, surface of a quoted word, speaker)
SELF_NAMED_SPEAKERS = [
    ("اتهم الجيش الليبي أمس حكومة السراج بأنها جلبت المرتزقة إلى الجبهة.", "المرتزقة", None),
    ("وأعلن الجيش الليبي أن ميليشيات مسلحة قصفت الجامعة.", "ميليشيات", None),
    ("وأكدت الحكومة الليبية أن المرتزقة انسحبوا من الجنوب.", "المرتزقة", None),
    # opening the clause: a headline before its colon, a sentence before a participle that reports
    # (after a statement of the LNA's spokesman, whose camp they need not be)
    ("وقال المسماري: «قواتنا تتقدم».\nالجيش الليبي: ميليشيات مسلحة فرت من المدينة", "ميليشيات", None),
    ("وقال المسماري: «قواتنا تتقدم».\nالجيش الليبي يعلن السيطرة على المطار، مؤكدا أن المرتزقة فروا.",
     "المرتزقة", None),
    # nor is the statement before's speaker the speaker after a reporting verb
    ("وقال المسماري: «قواتنا تتقدم».\nوأعلن الجيش الليبي أن ميليشيات مسلحة قصفت الجامعة.", "ميليشيات", None),
    # ... but the statement's own loaded words may say which camp speaks, as an article's say whose
    # army its «الجيش الليبي» is: a camp's bare word for the other («الميليشيات», the LNA's;
    # «العدوان», the GNA's)
    ("وأعلن الجيش الليبي أن الميليشيات قصفت الجامعة.", "الميليشيات", "lna"),
    ("وقال قنونو: «قواتنا تتقدم».\nالجيش الليبي: الميليشيات فرت من المدينة", "الميليشيات", "lna"),
    ("وقال قنونو: «قواتنا تتقدم».\nوأعلن الجيش الليبي أن الميليشيات قصفت الجامعة.", "الميليشيات", "lna"),
    ("وأعلن الجيش الليبي أن قوات العدوان قصفت الجامعة.", "العدوان", "gna"),
    # a self-name elsewhere in a clause that names no party is the speaker's affiliation: the
    # statement's words say the camp, never the statement before's speaker
    ("وقال مصدر عسكري بالجيش الليبي إن الميليشيات فرت من المطار.", "الميليشيات", "lna"),
    ("وقال قنونو: «قواتنا تتقدم».\nوأكد مكتب الإعلام بالكتيبة التابعة للجيش الليبي أن الميليشيات فرت.",
     "الميليشيات", "lna"),
    ("وقال المسماري: «قواتنا تتقدم».\nوقال مسؤول في الحكومة الليبية إن قوات العدوان انسحبت.", "العدوان", "gna"),
    # must NOT: a naming choice in a statement without quotation marks is the outlet's paraphrase
    # (the narrator's), and says nothing of the speaker
    ("وأعلن الجيش الليبي أن مجرم الحرب حفتر ارتكب جرائم حرب.", "جرائم حرب", None),
    # must NOT: a bare word after a quantifier is some of a kind, not the other camp's forces
    ("وأعلن الجيش الليبي أن عشرات الميليشيات قصفت الجامعة.", "الميليشيات", None),
    # must NOT: a source outside the camps using a camp's word is not that camp
    ("كشفت صحيفة أمريكية أن الميليشيات قصفت الجامعة.", "الميليشيات", None),
    # must NOT: the name of a camp after a title or a preposition qualifies the speaker named after it
    ("وقال المتحدث باسم الجيش الليبي أحمد المسماري إن الميليشيات قصفت الجامعة.", "الميليشيات", "lna"),
    ("وقال زعيم الجيش الليبي خليفة حفتر إن الميليشيات قصفت المستشفى.", "الميليشيات", "lna"),
    ("وأعلن آمر المنطقة العسكرية التابعة للجيش الليبي أسامة الجويلي أن المرتزقة انسحبوا.", "المرتزقة", "gna"),
    # must NOT: an actor right after the verb, or opening the clause, is the subject; a self-name
    # after it is its object
    ("وأعلنت قوات حفتر السيطرة على المطار، مؤكدة أن الميليشيات فرت.", "الميليشيات", "lna"),
    ("المسماري: الميليشيات فرت من المدينة", "الميليشيات", "lna"),
    ("واتهمت حكومة الوفاق الجيش الليبي بأنه جلب المرتزقة إلى الجبهة.", "المرتزقة", "gna"),
]


# A newspaper, an agency, a report or witnesses as a statement's subject: a source of no camp, and
# not the statement before's speaker («وقال المسماري» opens the first two texts).
SOURCE_SPEAKERS = [
    ("وقال المسماري: «قواتنا تتقدم».\nوكشفت صحيفة أمريكية أن المرتزقة وصلوا إلى طرابلس.", "المرتزقة", None),
    ("وقال المسماري: «قواتنا تتقدم».\nوأفاد شهود بأن الميليشيات قصفت الحي.", "الميليشيات", None),
    # an actor after a comma is whom the source reports on or quotes, and the agency named again
    # («وأضافت الوكالة») is the same source
    (("ذكرت وكالة أوروبية، نقلا عن مسؤولين في حكومة الوفاق، أن المرتزقة وصلوا إلى سرت. "
      "وأضافت الوكالة أن الميليشيات انسحبت."), "الميليشيات", None),
    ("قالت صحيفة بريطانية، في تقرير عن خليفة حفتر، إن الميليشيات تتقدم.", "الميليشيات", None),
    ("وقال المسماري: «قواتنا تتقدم».\nصحيفة فرنسية تنشر صورا من ترهونة، مؤكدة أن المرتزقة غادروها.",
     "المرتزقة", None),
    # observers and analysts are commentators, not a camp
    ("وقال المسماري: «قواتنا تتقدم».\nويرى مراقبون أن الميليشيات خسرت المطار.", "الميليشيات", None),
    ("وقال المسماري: «قواتنا تتقدم».\nويقول محللون إن المرتزقة غادروا.", "المرتزقة", None),
    # an attribution's source is named after it
    ("وقال المسماري: «قواتنا تتقدم».\nوبحسب حكومة الوفاق، فإن المرتزقة غادروا.", "المرتزقة", "gna"),
    # a source conveyed with «نقل ... عن», whoever conveys it
    ("وقال المسماري: «قواتنا تتقدم».\nونقلت عن موقع روسي أن المرتزقة قتلوا.", "المرتزقة", None),
    ("وقال المسماري: «قواتنا تتقدم».\nونقلت الصحيفة عن مراقبين قولهم إن الميليشيات فرت.", "الميليشيات", None),
    ("وقال المسماري: «قواتنا تتقدم».\nونقلت صحيفة بريطانية عن قنونو أن الميليشيات فرت.", "الميليشيات", "gna"),
    # must NOT: the noun «نقل» (transfer) introduces no statement, its scare quotes no speaker
    ("وقال المسماري: «قواتنا تتقدم».\nوتتواصل عملية نقل «المرتزقة» إلى الجبهة.", "المرتزقة", None),
    # nor is an actor its clause names, comma or not
    ("قالت صحيفة بريطانية في تقرير عن مرتزقة فاغنر إن الميليشيات تتقدم.", "الميليشيات", None),
    # must NOT: an unnamed source of a partisan outlet is its camp's, as before; a definite source
    # is the one named before
    ("وقال المسماري: «قواتنا تتقدم».\nوقال مصدر عسكري إن الميليشيات فرت من المدينة.", "الميليشيات", "lna"),
    ("وقال المسماري: «قواتنا تتقدم».\nوأضافت الصحيفة أن الميليشيات فرت.", "الميليشيات", "lna"),
    # must NOT: «صحيفة» after the subject is not the subject
    ("وقال المسماري لصحيفة محلية إن الميليشيات فرت من المدينة.", "الميليشيات", "lna"),
]


# The camps' most quoted spokesmen and officials speak for their camp (full names where the
# surname alone is an ordinary word: LEAVES_ALONE has those).
SPOKESMEN = [
    ("وقال المجعي إن الميليشيات انسحبت من المحور.", "الميليشيات", "gna"),
    ("وأكد عبد المالك المدني أن المرتزقة انسحبوا.", "المرتزقة", "gna"),
    ("وقال محمد سيالة إن المرتزقة يقاتلون في صفوف حفتر.", "المرتزقة", "gna"),
    ("وأعلن إبراهيم بيت المال أن الميليشيات تراجعت.", "الميليشيات", "gna"),
    ("وقال عبد الهادي دراه إن المرتزقة فروا.", "المرتزقة", "gna"),
    ("وقال الحويج إن الميليشيات ترفض الحل.", "الميليشيات", "lna"),
    ("وأكد الجروشي أن الميليشيات فقدت مواقعها.", "الميليشيات", "lna"),
    ("وأعلن إدريس مادي أن المرتزقة انسحبوا.", "المرتزقة", "lna"),
]


# Whom a statement's subject accuses, describes or warns comes between it and the statement: the
# verb's object, never the speaker (no camp when the subject is none, as after «وقال»).
OBJECTS = [
    ("ووصف النائب حفتر بأنه أمير حرب.", "أمير حرب", None),
    ("واتهم المتحدث قوات حفتر بأنها ميليشيات إرهابية.", "ميليشيات", None),
    ("وحذر الوزير حكومة الوفاق من أن الميليشيات ستنهار.", "الميليشيات", None),
    ("وقال المسماري: «قواتنا تتقدم».\nووصف البيان السراج بأنه دمية في يد الغزاة.", "الغزاة", "lna"),
    # «اتهم» and the verbs of naming always take an object: one actor before «بأن» is it, and the
    # subject is the previous statement's speaker, or unsaid
    ("وقال المسماري: «قواتنا تتقدم».\nواتهم حكومة الوفاق بأنها تجلب المرتزقة.", "المرتزقة", "lna"),
    ("وقال قنونو: «قواتنا تتقدم».\nووصف حفتر بأنه مجرم حرب.", "مجرم حرب", "gna"),
    ("واتهمت قوات حفتر بأنها جلبت المرتزقة.", "المرتزقة", None),
    # must NOT: «طالب بـ» and «حذر من» go without an object, so the actor after them speaks
    ("وطالب المسماري بأن يرحل المرتزقة.", "المرتزقة", "lna"),
    ("وحذر قنونو من أن المرتزقة يتقدمون.", "المرتزقة", "gna"),
    # must NOT: a subject named first speaks, and so does one after an object pronoun
    ("واتهم قنونو قوات حفتر بأنها ميليشيات.", "ميليشيات", "gna"),
    ("ووصفه قنونو بأنه مجرم حرب.", "مجرم حرب", "gna"),
    # must NOT: after other verbs the actor before «إن» is the subject's («المتحدث باسم ...»)
    ("وقال المتحدث باسم الجيش الوطني الليبي إن الميليشيات فرت.", "الميليشيات", "lna"),
    ("وأكد الناطق باسم حكومة الوفاق أن المرتزقة فروا.", "المرتزقة", "gna"),
]


@pytest.mark.parametrize("text,surface,speaker", SELF_NAMED_SPEAKERS + SOURCE_SPEAKERS + SPOKESMEN + OBJECTS)
def test_a_camp_named_as_the_army_or_a_source_speaks_for_no_known_camp(text, surface, speaker):
    found = _matches_of(text, surface)
    assert (found[0].voice, found[0].speaker) == ("quoted", speaker)


def test_retired_marshal_is_a_sneer_not_the_rank():
    s = score("أعلن المشير المتقاعد خليفة حفتر النفير العام.")
    assert [m.polarity for m in s.matches if m.kind == "naming"] == ["unfavorable"]


@pytest.mark.parametrize("text,surface", LEAVES_ALONE)
def test_leaves_alone(text, surface):
    assert not [m for m in score(text).matches if surface in m.text], score(text).matches


# «السلطان» names Erdogan only with «العثماني / التركي / أردوغان» after it: a Syrian faction named
# after Sultan Murad, with its «فرقة» (an actor row) or without it, is no name for Turkey (a bare
# «السلطان» row would fail the second).
INSIDE_A_NAME = [
    ("قاتل عناصر من فرقة السلطان مراد قرب طرابلس.", "turkey"),
    ("وقاتل عناصر السلطان مراد قرب طرابلس.", "turkey"),
]


@pytest.mark.parametrize("text,party", INSIDE_A_NAME)
def test_a_framing_name_inside_a_longer_name_is_not_read(text, party):
    assert not [m for m in score(text).matches if m.polarity and m.target == party], score(text).matches


# One mild word in wire copy is no lean: failed talks between the camps, a claim reported with «زعم».
ONE_MILD_WORD = [
    "فشلت المفاوضات بين وفدي حكومة الوفاق وقوات حفتر في جنيف.",
    "وأعلن المبعوث فشل المحادثات بين الوفاق وحفتر في موسكو.",
    "وزعم أردوغان أن الاتفاق لن يصمد طويلا.",
]


@pytest.mark.parametrize("text", ONE_MILD_WORD)
def test_one_mild_word_is_no_lean(text):
    assert score(text).lean is None


def test_wire_sentence_naming_both_has_no_lean():
    s = score("استقبل المشير خليفة حفتر، الذي يقود الجيش الوطني الليبي المعلن ذاتيا، بعثة أممية، بينما "
              "طالبت حكومة الوفاق المعترف بها أمميا بهدنة.")
    assert s.lean is None
    assert s.parties["lna"].stance in (None, "neutral")


def test_monitor_condemning_both_camps_in_its_own_voice():
    s = score("وثق فريقنا أعمال نهب وحرق منازل نفذتها مجموعات تابعة لحكومة الوفاق في ترهونة. كما وثقنا "
              "قصفا عشوائيا نفذته قوات حفتر على أحياء مأهولة في طرابلس، وهي جرائم يجب أن يحاسب عليها الطرفان.")
    assert s.lean is None  # balanced: no side
    assert (s.parties["lna"].stance, s.parties["gna"].stance) == ("unfavorable", "unfavorable")
    assert all(m.voice == "narrator" for m in s.matches)  # «وثق فريقنا» is the monitor's own voice


def test_readme_row_counts_are_the_lexicons():
    from collections import Counter

    from framing.lexicon import load_lexicon

    lexicon = load_lexicon()
    readme = (lexicon.path / "README.md").read_text(encoding="utf-8")
    for kind, n in Counter(e.kind for e in lexicon.entries).items():
        assert f"| {kind} | {n} " in readme, f"README's row count for {kind} is not {n}"
