output "flink_ui" {
  description = "The Flink web UI inside the cluster; from a workstation: the port-forward command below, then http://localhost:8081."
  value       = module.flink.flink_ui
}

output "flink_ui_port_forward" {
  description = "kubectl command that forwards the Flink web UI to localhost:8081 (after aws eks update-kubeconfig)."
  value       = module.flink.flink_ui_port_forward
}

output "tables" {
  description = "The output tables' S3 directories, e.g. tables[\"tracks\"]."
  value       = module.flink.tables
}

output "input" {
  description = "Where to upload the audio (the job's --input)."
  value       = module.bucket.input
}

output "kubeconfig_command" {
  description = "The AWS CLI command that writes the cluster's kubeconfig entry."
  value       = "aws eks update-kubeconfig --region ${var.region} --name ${module.eks.cluster_name}"
}
