from django.db import migrations

DEFAULT_DUTY_TYPES = [
    # code, Chinese name, English name, indicator, icon, hint
    (
        "session",
        "参加人代会",
        "Congress session",
        "session_half_day",
        "bi-bank",
        "会议名称、参加的半天数",
    ),
    (
        "weekly_visit",
        "社区周周行",
        "Weekly community visit",
        "weekly_visit",
        "bi-signpost-split",
        "到访社区、接待人数、听取的主要意见",
    ),
    (
        "contact_day",
        "社情民意联系日",
        "Monthly contact day",
        "contact_day",
        "bi-chat-square-text",
        "联系日地点、接待选民人数、收集的意见",
    ),
    (
        "station_reception",
        "联络站接待选民",
        "Liaison station reception",
        "station_reception",
        "bi-house-heart",
        "联络站名称、接待选民人数、反映的问题",
    ),
    (
        "inspection",
        "视察调研/执法检查",
        "Inspection, research or law check",
        "inspection",
        "bi-search",
        "视察调研主题、参加单位、形成的意见",
    ),
    ("training", "学习培训", "Training", "training", "bi-mortarboard", "培训主题、主办单位"),
    (
        "report_to_voters",
        "向选民述职",
        "Report to voters",
        "report_to_voters",
        "bi-megaphone",
        "述职地点、参加选民人数",
    ),
    (
        "opinion",
        "收集民情民意",
        "Collecting residents' opinions",
        "opinion",
        "bi-ear",
        "意见内容摘要、涉及社区",
    ),
    (
        "research_report",
        "调研报告",
        "Research report",
        "research_report",
        "bi-file-earmark-text",
        "报告题目、主要结论",
    ),
    ("other", "其他", "Other", "other", "bi-three-dots", "请写清楚做了什么"),
]


def add_duty_types(apps, schema_editor):
    DutyType = apps.get_model("deputies", "DutyType")
    for order, (code, name, name_en, indicator, icon, hint) in enumerate(DEFAULT_DUTY_TYPES):
        DutyType.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "indicator": indicator,
                "icon": icon,
                "hint": hint,
                "sort_order": order * 10,
            },
        )


def remove_duty_types(apps, schema_editor):
    DutyType = apps.get_model("deputies", "DutyType")
    DutyType.objects.filter(code__in=[row[0] for row in DEFAULT_DUTY_TYPES]).delete()


class Migration(migrations.Migration):
    dependencies = [("deputies", "0002_duty_types_records_and_photos")]

    operations = [migrations.RunPython(add_duty_types, remove_duty_types)]
