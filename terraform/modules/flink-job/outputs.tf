output "flink_ui" {
  description = "The Flink web UI and REST address inside the cluster (the operator's <name>-rest service), as --flinkMaster or a browser takes it behind kubectl port-forward."
  value       = "http://${var.name}-rest.${var.namespace}.svc:8081"
}

output "flink_ui_port_forward" {
  description = "The command that makes the Flink web UI reachable on http://localhost:8081 from the operator's machine."
  value       = "kubectl -n ${var.namespace} port-forward svc/${var.name}-rest 8081"
}

output "prometheus_port" {
  description = "Port of Flink's Prometheus reporter on every JobManager and TaskManager pod (annotated prometheus.io/scrape)."
  value       = 9249
}

output "tables" {
  description = "The output tables' directories: tracks, errors, mel, frames, predictions, patches, stems (a table exists once a run that writes it has finished)."
  value       = { for t in ["tracks", "errors", "mel", "frames", "predictions", "patches", "stems"] : t => "${var.output}${t}/" }
}

output "flink_deployment" {
  description = "The FlinkDeployment manifest as applied (no credentials: those come from the pods' environment)."
  value       = local.flink_deployment
}
