//! A realistic annual report, as the lead's report builder will hand it over: about three
//! pages of text under 一、（一） headings, figure sentences, and a rectification ledger.

use zeren_docx::{
    rectification_table, Attachment, Block, OfficialDoc, Orientation, RectificationItem, Run,
    Signature,
};

pub fn annual_report() -> OfficialDoc {
    let figures = |before: &str, figs: &[(&str, &str)]| -> Block {
        let mut runs = vec![Run::text(before)];
        for (n, after) in figs {
            runs.push(Run::text(*n));
            runs.push(Run::text(*after));
        }
        Block::Paragraph(runs)
    };
    let ledger = rectification_table(
        None,
        &[
            RectificationItem {
                problem: "【巡察反馈】理论学习中心组学习计划性不强，专题研讨流于形式，联系实际不够紧密。".into(),
                measures: "1.制定年度学习计划，明确每月学习专题；\n2.每季度开展一次专题研讨，班子成员轮流作交流发言；\n3.建立学习台账，纳入年度考核。".into(),
                owner: "张某某".into(),
                deadline: "2025年3月底前".into(),
                progress: "已完成".into(),
            },
            RectificationItem {
                problem: "【专项检查】个别基层党支部“三会一课”记录不规范，组织生活会会前谈心谈话不全覆盖。".into(),
                measures: "1.开展基层党支部标准化规范化建设专项督查；\n2.统一印发会议记录本和操作指引；\n3.对问题突出的支部书记进行约谈。".into(),
                owner: "李某某".into(),
                deadline: "2025年6月底前".into(),
                progress: "正在推进".into(),
            },
            RectificationItem {
                problem: "【民主生活会查摆】落实中央八项规定精神监督检查的常态化机制不够健全，节假日期间监督力度有所减弱。".into(),
                measures: "1.修订监督检查工作办法；\n2.重要节点开展明察暗访，通报典型问题；\n3.建立问题线索快速处置机制。".into(),
                owner: "王某某".into(),
                deadline: "长期坚持".into(),
                progress: "正在推进".into(),
            },
            RectificationItem {
                problem: "【审计发现】部分单位公务接待审批手续不全，接待清单与实际不符。".into(),
                measures: "1.全面清理2024年度公务接待票据；\n2.规范接待审批单、公函和接待清单“三单”管理；\n3.对违规问题严肃追责问责。".into(),
                owner: "赵某某".into(),
                deadline: "2025年4月底前".into(),
                progress: "已完成".into(),
            },
        ],
    );
    OfficialDoc {
        title: "中共某某县委关于2024年度\n落实全面从严治党主体责任情况的报告".into(),
        subtitle: None,
        addressee: Some("市委：".into()),
        blocks: vec![
            Block::para("2024年，县委坚持以习近平新时代中国特色社会主义思想为指导，深入贯彻党的二十大和二十届二中、三中全会精神，认真落实新时代党的建设总要求，扛牢管党治党政治责任，推动全面从严治党向纵深发展。现将有关情况报告如下。"),
            Block::Heading1("一、工作成效".into()),
            Block::Heading2("（一）加强党的政治建设".into()),
            figures("全年召开县委常委会会议", &[("24", "次，其中“第一议题”学习"), ("24", "次，研究全面从严治党议题"), ("8", "次。严格执行重大事项请示报告制度，向市委请示报告重大事项"), ("12", "件。")]),
            Block::para("坚决落实“两个维护”十项制度机制，建立贯彻落实习近平总书记重要指示批示精神闭环落实机制，对照台账逐项跟踪问效，确保党中央决策部署在本县落地见效。"),
            Block::Heading2("（二）强化理论武装".into()),
            figures("县委理论学习中心组开展集体学习", &[("12", "次，专题研讨"), ("6", "次；县委书记带头讲专题党课，班子成员到联系点讲党课"), ("36", "次。组织全县党员干部参加学习教育轮训"), ("4200", "余人次。")]),
            Block::Heading2("（三）压实管党治党责任".into()),
            Block::Paragraph(vec![
                Run::strong("1.完善责任体系。"),
                Run::text("制定县委落实全面从严治党主体责任清单，细化班子成员“一岗双责”任务，签订责任书"),
                Run::text("86"),
                Run::text("份，实现责任链条全覆盖。"),
            ]),
            Block::Paragraph(vec![
                Run::strong("2.抓实考核评价。"),
                Run::text("将全面从严治党考核结果与领导班子综合考评挂钩，对考核排名靠后的"),
                Run::text("3"),
                Run::text("个单位主要负责人进行约谈，推动责任层层传导、压力逐级落实。"),
            ]),
            Block::Heading2("（四）夯实基层组织".into()),
            figures("全县共有基层党组织", &[("612", "个、党员"), ("15836", "名。全年发展党员"), ("238", "名，整顿软弱涣散基层党组织"), ("17", "个，按期换届党组织"), ("96", "个。规范“三会一课”、主题党日等制度，基层党组织政治功能和组织功能不断增强。")]),
            Block::Heading2("（五）驰而不息纠治“四风”".into()),
            figures("开展落实中央八项规定精神监督检查", &[("46", "次，查处违反中央八项规定精神问题"), ("21", "起，批评教育和处理"), ("29", "人，其中给予党纪政务处分"), ("18", "人，点名道姓通报曝光典型问题"), ("6", "批次。")]),
            Block::Heading2("（六）一体推进不敢腐、不能腐、不想腐".into()),
            figures("全年受理信访举报", &[("318", "件，处置问题线索"), ("205", "件，立案"), ("87", "件，给予党纪政务处分"), ("79", "人；运用“四种形态”批评教育帮助和处理"), ("412", "人次，其中第一种形态"), ("305", "人次。澄清正名"), ("9", "件"), ("11", "人。")]),
            Block::Heading2("（七）抓好问题整改".into()),
            figures("对巡察反馈、审计发现、专项检查和民主生活会查摆的问题建立整改台账，查摆问题", &[("42", "个，制定整改措施"), ("126", "条，已完成"), ("98", "条，完成率77.8%，其余措施按时序推进。")]),
            Block::Heading1("二、存在问题".into()),
            Block::para("一是理论学习联系实际还不够紧密，学用结合、以学促干的成效有待提升；二是个别基层党组织书记抓党建的意识和能力不强，“三会一课”等制度执行不够规范；三是监督检查的常态化机制还不健全，节假日等重要节点的监督力度仍需加强；四是个别单位整改工作进度滞后，长效机制建设有待加强。"),
            Block::Heading1("三、下一步工作措施".into()),
            Block::Heading2("（一）持续强化政治引领".into()),
            Block::para("坚持把党的政治建设摆在首位，健全“第一议题”制度，推动理论学习与推动高质量发展紧密结合，切实把学习成效转化为推动工作的强大动力。"),
            Block::Heading2("（二）持续压实主体责任".into()),
            Block::para("完善全面从严治党责任清单动态调整机制，加强对下级党组织落实主体责任情况的督导检查，对责任落实不力的严肃问责。"),
            Block::Heading2("（三）持续抓好问题整改".into()),
            Block::para("对照整改台账逐项销号，对进度滞后的措施挂牌督办，举一反三建立健全长效机制，确保问题真改实改、改到位。"),
        ],
        signature: Some(Signature {
            org: "中共某某县委".into(),
            date: "2025年1月10日".into(),
        }),
        attachments: vec![Attachment {
            title: "2024年度全面从严治党问题整改台账".into(),
            blocks: vec![Block::Table(ledger)],
            landscape: true,
        }],
        orientation: Orientation::Portrait,
    }
}
