// The rules ported from the reference's `hyperframes lint` (CLI 0.8.170), under its codes and default
// severities, so a code can be looked up in HyperFrames' docs and `check --json` lines up with `lint --json`.
import type { Severity } from '../../model';

export interface LintRuleInfo {
  /** The reference's default severity; hyperframes.json / hyperframesLive.lint.rules may change it. */
  severity: Severity;
  /**
   * An error that stops a render (the render would come out broken or not at all). The reference's render
   * only gates on its lint with --strict, so its other errors are advisory here too: they block only then.
   */
  blocksRender?: true;
}

export const LINT_RULES = {
  // structure of the root and its hosts
  root_missing_composition_id: { severity: 'error', blocksRender: true },
  root_missing_dimensions: { severity: 'error', blocksRender: true },
  host_missing_composition_id: { severity: 'error' },
  multiple_root_compositions: { severity: 'error' },
  missing_or_empty_sub_composition: { severity: 'error', blocksRender: true },
  composition_file_too_large: { severity: 'warning' },
  timeline_track_too_dense: { severity: 'warning' },
  root_composition_duration_derived: { severity: 'warning' },
  /** Reported by compile/index.ts (it knows whether any clip gives a length); the lint adds Three.js and infinite CSS animations. */
  root_composition_missing_duration_source: { severity: 'error' },
  studio_missing_editable_id: { severity: 'warning' },
  timed_element_missing_clip_class: { severity: 'warning' },
  /** Reported by the compile stage's timing (it knows every clip's resolved end). */
  clip_ends_past_root_duration: { severity: 'warning' },
  nested_structure_needs_subcomposition: { severity: 'warning' },
  caption_track_kind_missing: { severity: 'warning' },
  duplicate_composition_id: { severity: 'error' },
  deprecated_data_layer: { severity: 'error' },
  deprecated_data_end: { severity: 'error' },
  subcomposition_blanks_before_host: { severity: 'warning' },
  timeline_element_missing_timing: { severity: 'warning' },
  multiple_caption_tracks: { severity: 'warning' },
  unbalanced_style_tags: { severity: 'error' },
  standalone_composition_wrapped_in_template: { severity: 'error' },
  /** A warning while no selector names the id. */
  id_requires_css_escape: { severity: 'error' },
  split_data_attribute_selector: { severity: 'error' },
  subcomposition_root_styled_by_class: { severity: 'error' },
  composition_heavy_overlay_count_high: { severity: 'warning' },
  root_composition_missing_html_wrapper: { severity: 'error' },
  /** The reference's lint says error only in its studio. */
  nested_clip_never_visible: { severity: 'warning' },
  visible_markup_comment: { severity: 'error' },
  // timelines and scripts
  missing_timeline_registry: { severity: 'error' },
  timeline_id_mismatch: { severity: 'error' },
  missing_data_no_timeline: { severity: 'warning' },
  requestanimationframe_in_composition: { severity: 'error' },
  non_deterministic_code: { severity: 'error' },
  template_literal_selector: { severity: 'error' },
  // media
  video_missing_muted: { severity: 'error' },
  video_muted_with_declared_audio: { severity: 'error' },
  media_missing_id: { severity: 'error' },
  media_crossorigin_breaks_preview: { severity: 'error' },
  media_preload_none: { severity: 'warning' },
  /** Judged from ffprobe's answer by the compile stage's media probe (rules/mediaEof.ts). */
  hevc_preview_codec: { severity: 'info' },
  nested_media_start_basis_ambiguous: { severity: 'warning' },
  duplicate_audio_track: { severity: 'warning' },
  media_missing_data_start: { severity: 'error' },
  duplicate_media_discovery_risk: { severity: 'warning' },
  placeholder_media_url: { severity: 'error' },
  video_nested_in_timed_element: { severity: 'error' },
  media_missing_src: { severity: 'error' },
  media_variable_src_no_fallback: { severity: 'warning' },
  self_closing_media_tag: { severity: 'error' },
  base64_media_prohibited: { severity: 'error' },
  media_src_kind_mismatch: { severity: 'error' },
  /** The file server serves only the project folder: such a file is missing from the render. */
  invalid_parent_traversal_in_asset_path: { severity: 'error', blocksRender: true },
  // a local file that is not there (compile's path resolution reports these, at the src value)
  missing_local_asset: { severity: 'error', blocksRender: true },
  audio_src_not_found: { severity: 'error', blocksRender: true },
  // CSS
  css_transition_used: { severity: 'warning' },
  negative_z_index: { severity: 'warning' },
  font_family_without_font_face: { severity: 'error' },
  // GSAP
  gsap_css_transform_conflict: { severity: 'error' },
  overlapping_gsap_tweens: { severity: 'warning' },
  gsap_non_transform_motion: { severity: 'error' },
  gsap_repeat_ceil_overshoot: { severity: 'warning' },
  gsap_timeline_set_initial_hide: { severity: 'warning' },
  gsap_animates_clip_element: { severity: 'error' },
  gsap_from_opacity_noop: { severity: 'error' },
  gsap_relative_value_second_writer: { severity: 'error' },
  /** A warning when the composition declares a finite data-duration. */
  gsap_infinite_repeat: { severity: 'error' },
  missing_gsap_script: { severity: 'error' },
  missing_lottie_script: { severity: 'error' },
  missing_three_script: { severity: 'error' },
  // scripts read as a syntax tree (scriptAst.ts)
  invalid_inline_script_syntax: { severity: 'error' },
  gsap_timeline_not_registered: { severity: 'error' },
  gsap_timeline_registered_before_async_build: { severity: 'error' },
  gsap_timeline_return_used_as_tween: { severity: 'error' },
  gsap_repeat_floor_unclamped: { severity: 'warning' },
  gsap_repeat_refresh_relative_value: { severity: 'error' },
  gsap_group_selector_keyframes: { severity: 'warning' },
  gsap_repeated_fromto_without_baseline: { severity: 'warning' },
  gsap_cold_seek_hidden_fromto_missing_reveal: { severity: 'error' },
  gsap_fullscreen_overlay_starts_visible: { severity: 'error' },
  missing_gsap_plugin: { severity: 'error' },
  /** An error when the function reads transform-sensitive geometry or misuses its index parameter. */
  gsap_function_value_hazard: { severity: 'warning' },
  gsap_callback_dom_measurement: { severity: 'warning' },
  gsap_undefined_css_variable: { severity: 'warning' },
  imperative_media_control: { severity: 'error' },
  media_runtime_src_mutation: { severity: 'warning' },
  runtime_hidden_style_opacity: { severity: 'error' },
  audio_volume_double_automation: { severity: 'warning' },
  audio_volume_tween_overrides_gain: { severity: 'warning' },
  audio_reactive_single_tween_per_group: { severity: 'warning' },
  shader_unbounded_cosine_pow: { severity: 'warning' },
  /** A warning when the path's d is assigned, but only inside a function. */
  svg_measure_before_path_d: { severity: 'error' },
  // SVG
  svg_drawon_css_dasharray_conflict: { severity: 'error' },
  // captions
  caption_exit_missing_hard_kill: { severity: 'error' },
  caption_text_overflow_risk: { severity: 'warning' },
  caption_container_relative_position: { severity: 'error' },
  // markup, CSS, audio groups, linked clips, textures, slideshow (rules/canvas.ts, cssRules.ts, audio.ts, captions.ts, textures.ts)
  root_dimensions_mismatch: { severity: 'warning' },
  root_zoom_rescales_a_fixed_canvas: { severity: 'error' },
  composition_exceeds_inspection_viewport_cap: { severity: 'warning' },
  blank_root_with_standalone_composition: { severity: 'error' },
  unclosed_tag_swallowed_element: { severity: 'error' },
  css_parse_error: { severity: 'error' },
  repeated_id_descendant_selector: { severity: 'error' },
  id_override_reduced_specificity: { severity: 'warning' },
  scoped_css_missing_wrapper: { severity: 'warning' },
  slideshow_invalid: { severity: 'error' },
  slideshow_unresolved_ref: { severity: 'error' },
  audio_carve_ungrouped_sources: { severity: 'warning' },
  audio_group_no_members: { severity: 'error' },
  audio_group_timing_attrs: { severity: 'warning' },
  audio_group_carve_attr: { severity: 'warning' },
  speed_ramp_on_non_media: { severity: 'warning' },
  linked_clip_orphan: { severity: 'warning' },
  linked_clips_out_of_sync: { severity: 'warning' },
  video_audio_double_source: { severity: 'error' },
  /** Our duplicate-id finding, renamed when both elements are media of one file. */
  duplicate_media_id: { severity: 'error' },
  audio_file_without_element: { severity: 'warning' },
  texture_drop_shadow_on_text: { severity: 'warning' },
  texture_class_missing_base: { severity: 'warning' },
  texture_text_missing_mask: { severity: 'warning' },
  texture_class_unknown: { severity: 'error' },
  texture_mask_asset_not_found: { severity: 'error' },
  caption_transcript_not_inline: { severity: 'error' },
  caption_overflow_clips_scaled_words: { severity: 'error' },
  caption_textshadow_on_group_container: { severity: 'warning' },
  caption_fittext_scale_mismatch: { severity: 'warning' },
  /** Reported with the compile stage's media probe (rules/mediaEof.ts): only ffprobe knows the file's length. */
  video_media_start_at_or_past_eof: { severity: 'warning' },
  // composition variables (reported by compile/variables.ts, which reads every declaration, value and binding)
  /** A broken declaration stops the render: the page would read none of its variables. */
  invalid_composition_variables_declaration: { severity: 'error', blocksRender: true },
  invalid_variable_values_json: { severity: 'error', blocksRender: true },
  unknown_variable_binding: { severity: 'warning' },
  unloadable_media_variable_default: { severity: 'error' },
} as const satisfies Record<string, LintRuleInfo>;

export type LintCode = keyof typeof LINT_RULES;

export function isLintCode(code: string): code is LintCode {
  return Object.prototype.hasOwnProperty.call(LINT_RULES, code);
}

/** Whether an error diagnostic stops a render without --strict (every non-lint error does). */
export function errorBlocksRender(code: string): boolean {
  if (!isLintCode(code)) return true;
  const rule: LintRuleInfo = LINT_RULES[code];
  return rule.blocksRender === true;
}
