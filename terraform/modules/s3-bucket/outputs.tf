output "bucket" {
  description = "The bucket's name."
  value       = aws_s3_bucket.audio.id
}

output "input" {
  description = "The job's --input for everything below the input prefix."
  value       = "s3://${aws_s3_bucket.audio.id}/${var.input_prefix}**"
}

output "output" {
  description = "The job's --output."
  value       = "s3://${aws_s3_bucket.audio.id}/${var.output_prefix}"
}

output "policy_arn" {
  description = "ARN of the job's least-privilege IAM policy."
  value       = aws_iam_policy.job.arn
}

output "role_arn" {
  description = "ARN of the IRSA role (annotate the job's service account with it); null without irsa."
  value       = var.irsa == null ? null : aws_iam_role.job[0].arn
}
