output "flink_ui" {
  description = "The Flink web UI inside the cluster (<name>-rest service)."
  value       = module.flink.flink_ui
}

output "flink_ui_port_forward" {
  description = "kubectl command that forwards the Flink web UI to localhost:8081."
  value       = module.flink.flink_ui_port_forward
}

output "tables" {
  description = "The output tables' directories."
  value       = module.flink.tables
}

output "bucket_policy" {
  description = "Least-privilege policy (JSON) for the job's account on the store, e.g. mc admin policy create <alias> audioflow policy.json."
  value       = jsonencode(local.bucket_policy)
}
