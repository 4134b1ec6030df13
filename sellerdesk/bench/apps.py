from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "sellerdesk.bench"
    label = "bench"
    verbose_name = "Benchmark"
