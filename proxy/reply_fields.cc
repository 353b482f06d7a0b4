#include "proxy/reply_fields.h"

#include <array>
#include <limits>
#include <utility>

#include "proxy/done_reason_text.h"
#include "proxy/json_scan.h"

namespace ollama_exporter::proxy {
namespace {

constexpr int64_t kMaxCount = std::numeric_limits<int64_t>::max();

ReplyWord WordFromText(std::string_view text) {
  constexpr std::pair<std::string_view, ReplyWord> kWords[] = {
      {"response", ReplyWord::kResponse},
      {"completed", ReplyWord::kCompleted},
      {"incomplete", ReplyWord::kIncomplete},
      {"failed", ReplyWord::kFailed},
      {"error", ReplyWord::kError},
      {"response.failed", ReplyWord::kResponseFailed},
      {"response.completed", ReplyWord::kResponseCompleted},
      {"response.incomplete", ReplyWord::kResponseIncomplete},
      {"message_stop", ReplyWord::kMessageStop},
      {"message_delta", ReplyWord::kMessageDelta},
      {"content_block_delta", ReplyWord::kContentBlockDelta},
  };
  for (const auto& [word_text, word] : kWords) {
    if (text == word_text) return word;
  }
  return ReplyWord::kOther;
}

int64_t CountFromFloat(double number) {
  if (!(number > 0)) return 0;
  // 2^63 is exactly representable, so this comparison clamps safely.
  if (number >= 9223372036854775808.0) return kMaxCount;
  return static_cast<int64_t>(number);
}

// The objects and arrays whose members are read; everything else is
// skipped by depth alone.
enum class FrameKind {
  kRoot,
  kMessage,
  kUsage,     // Of `usage`.
  kResponse,  // Of `response`.
  kDetails,   // incomplete_details of `response`.
  kDelta,     // The top-level "delta" object.
  kChoices,   // The "choices" array.
  kChoice,    // One object entry of "choices".
  kChoiceDelta,
  kItems,  // An array whose only fact is `*items` (non-empty).
};

struct Frame {
  FrameKind kind = FrameKind::kRoot;
  UsageFields* usage = nullptr;
  ResponseFields* response = nullptr;
  bool* items = nullptr;
};

// What the value of the member just keyed feeds; null pointers: nothing.
struct Target {
  bool* present = nullptr;  // Not null.
  bool* is_true = nullptr;
  bool* text = nullptr;
  bool* items = nullptr;
  std::optional<int64_t>* count = nullptr;
  std::optional<DoneReason>* reason = nullptr;
  std::optional<ReplyWord>* word = nullptr;
  std::optional<Frame> object;  // The frame an object value opens.
  bool choices = false;         // An array value opens kChoices.
};

// The entry of "choices" being read; folded into ReplyFields at its end.
struct ChoiceState {
  bool delta_content_text = false;
  bool delta_reasoning_text = false;
  bool delta_tool_calls_items = false;
  bool text = false;
  std::optional<DoneReason> finish_reason;
};

// Fills ReplyFields from the events of one JSON text. A repeated key
// replaces the earlier value in a parsed document, so each key first
// resets what its value feeds.
class FieldsHandler final : public JsonEvents {
 public:
  explicit FieldsHandler(ReplyFields* fields) : fields_(fields) {}

  bool Null() override { return Scalar(/*present=*/false); }

  bool Boolean(bool value) override {
    if (target_.is_true != nullptr) *target_.is_true = value;
    return Scalar(true);
  }

  bool Integer(int64_t value) override {
    SetCount(value < 0 ? 0 : value);
    return Scalar(true);
  }

  bool Unsigned(uint64_t value) override {
    SetCount(value > static_cast<uint64_t>(kMaxCount)
                 ? kMaxCount
                 : static_cast<int64_t>(value));
    return Scalar(true);
  }

  bool Float(double value) override {
    SetCount(CountFromFloat(value));
    return Scalar(true);
  }

  bool String(std::string_view value) override {
    if (target_.text != nullptr) *target_.text = !value.empty();
    if (target_.reason != nullptr) *target_.reason = DoneReasonFromText(value);
    if (target_.word != nullptr) *target_.word = WordFromText(value);
    return Scalar(true);
  }

  bool StartObject() override {
    if (depth_ == 0) {
      Push(Frame{});
      return true;
    }
    if (skip_depth_ > 0) {
      ++skip_depth_;
      return true;
    }
    std::optional<Frame> next = target_.object;
    if (Top().kind == FrameKind::kChoices) {
      choice_ = ChoiceState();
      next = Frame{FrameKind::kChoice};
    } else if (next && next->kind == FrameKind::kUsage) {
      next->usage->object = true;
    }
    StartValue();
    if (next) {
      Push(*next);
    } else {
      ++skip_depth_;
    }
    return true;
  }

  bool Key(std::string_view name) override {
    if (skip_depth_ > 0) return true;
    target_ = TargetOf(Top(), name);
    ResetTarget();
    return true;
  }

  bool EndObject() override {
    if (skip_depth_ > 0) {
      --skip_depth_;
    } else {
      if (Top().kind == FrameKind::kChoice) FinishChoice();
      --depth_;
    }
    return true;
  }

  bool StartArray() override {
    if (depth_ == 0) return false;  // Not an object: stop early.
    if (skip_depth_ > 0) {
      ++skip_depth_;
      return true;
    }
    std::optional<Frame> next;
    if (target_.items != nullptr) {
      next = Frame{FrameKind::kItems, nullptr, nullptr, target_.items};
    } else if (target_.choices) {
      fields_->choices.array = true;
      next = Frame{FrameKind::kChoices};
    }
    StartValue();
    if (next) {
      Push(*next);
    } else {
      ++skip_depth_;
    }
    return true;
  }

  bool EndArray() override {
    if (skip_depth_ > 0) {
      --skip_depth_;
    } else {
      --depth_;
    }
    return true;
  }

 private:
  // The deepest frame: root, choices, choice, delta, tool_calls.
  static constexpr size_t kMaxFrames = 5;

  Frame& Top() { return frames_[depth_ - 1]; }

  void Push(const Frame& frame) { frames_[depth_++] = frame; }

  void SetCount(int64_t count) {
    if (target_.count != nullptr) *target_.count = count;
  }

  // A value begins in the current frame: it counts as an array item and,
  // if not null, as a present member; it consumes the target.
  void StartValue(bool present = true) {
    if (Top().kind == FrameKind::kItems) *Top().items = true;
    if (Top().kind == FrameKind::kChoices) fields_->choices.entries = true;
    if (present && target_.present != nullptr) *target_.present = true;
    target_ = Target();
  }

  bool Scalar(bool present) {
    if (depth_ == 0) return false;  // Not an object: stop early.
    if (skip_depth_ == 0) StartValue(present);
    return true;
  }

  void FinishChoice() {
    if (choice_.delta_content_text || choice_.delta_reasoning_text ||
        choice_.delta_tool_calls_items || choice_.text) {
      fields_->choices.content = true;
    }
    if (choice_.finish_reason) {
      fields_->choices.finish_reason = choice_.finish_reason;
    }
  }

  void ResetTarget() {
    if (target_.present != nullptr) *target_.present = false;
    if (target_.is_true != nullptr) *target_.is_true = false;
    if (target_.text != nullptr) *target_.text = false;
    if (target_.items != nullptr) *target_.items = false;
    if (target_.count != nullptr) target_.count->reset();
    if (target_.reason != nullptr) target_.reason->reset();
    if (target_.word != nullptr) target_.word->reset();
    if (target_.choices) fields_->choices = {};
    if (!target_.object) return;
    switch (target_.object->kind) {
      case FrameKind::kMessage:
        fields_->message = {};
        break;
      case FrameKind::kUsage:
        *target_.object->usage = UsageFields();
        break;
      case FrameKind::kResponse:
        *target_.object->response = ResponseFields();
        break;
      case FrameKind::kDetails:
        target_.object->response->incomplete_reason.reset();
        break;
      case FrameKind::kDelta:
        fields_->delta = {};
        break;
      case FrameKind::kChoiceDelta:
        choice_.delta_content_text = false;
        choice_.delta_reasoning_text = false;
        choice_.delta_tool_calls_items = false;
        break;
      default:
        break;
    }
  }

  Target TargetOf(const Frame& frame, std::string_view name);

  ReplyFields* fields_;
  std::array<Frame, kMaxFrames> frames_;
  size_t depth_ = 0;       // Frames in use.
  size_t skip_depth_ = 0;  // Open containers inside an unread value.
  Target target_;
  ChoiceState choice_;
};

Target FieldsHandler::TargetOf(const Frame& frame, std::string_view name) {
  Target target;
  ReplyFields& f = *fields_;
  switch (frame.kind) {
    case FrameKind::kRoot:
      if (name == "error") {
        target.present = &f.error;
      } else if (name == "done") {
        target.is_true = &f.done;
      } else if (name == "done_reason") {
        target.reason = &f.done_reason;
      } else if (name == "stop_reason") {
        target.reason = &f.stop_reason;
      } else if (name == "response") {
        target.text = &f.response_text;
        target.object = Frame{FrameKind::kResponse, nullptr, &f.response};
      } else if (name == "thinking") {
        target.text = &f.thinking_text;
      } else if (name == "tool_calls") {
        target.items = &f.tool_calls_items;
      } else if (name == "prompt_eval_count") {
        target.count = &f.prompt_eval_count;
      } else if (name == "eval_count") {
        target.count = &f.eval_count;
      } else if (name == "load_duration") {
        target.count = &f.load_duration;
      } else if (name == "prompt_eval_duration") {
        target.count = &f.prompt_eval_duration;
      } else if (name == "eval_duration") {
        target.count = &f.eval_duration;
      } else if (name == "total_duration") {
        target.count = &f.total_duration;
      } else if (name == "message") {
        target.object = Frame{FrameKind::kMessage};
      } else if (name == "choices") {
        target.choices = true;
      } else if (name == "usage") {
        target.object = Frame{FrameKind::kUsage, &f.own.usage};
      } else if (name == "status") {
        target.word = &f.own.status;
      } else if (name == "incomplete_details") {
        target.object = Frame{FrameKind::kDetails, nullptr, &f.own};
      } else if (name == "object") {
        target.word = &f.object;
      } else if (name == "type") {
        target.word = &f.type;
      } else if (name == "delta") {
        target.text = &f.delta.text;
        target.object = Frame{FrameKind::kDelta};
      }
      break;
    case FrameKind::kMessage:
      if (name == "content") {
        target.text = &f.message.content_text;
      } else if (name == "thinking") {
        target.text = &f.message.thinking_text;
      } else if (name == "tool_calls") {
        target.items = &f.message.tool_calls_items;
      } else if (name == "usage") {
        target.object = Frame{FrameKind::kUsage, &f.message.usage};
      }
      break;
    case FrameKind::kUsage:
      if (name == "prompt_tokens") {
        target.count = &frame.usage->prompt_tokens;
      } else if (name == "input_tokens") {
        target.count = &frame.usage->input_tokens;
      } else if (name == "completion_tokens") {
        target.count = &frame.usage->completion_tokens;
      } else if (name == "output_tokens") {
        target.count = &frame.usage->output_tokens;
      }
      break;
    case FrameKind::kResponse:
      if (name == "status") {
        target.word = &frame.response->status;
      } else if (name == "incomplete_details") {
        target.object = Frame{FrameKind::kDetails, nullptr, frame.response};
      } else if (name == "usage") {
        target.object = Frame{FrameKind::kUsage, &frame.response->usage};
      }
      break;
    case FrameKind::kDetails:
      if (name == "reason") target.reason = &frame.response->incomplete_reason;
      break;
    case FrameKind::kDelta:
      if (name == "text") {
        target.text = &f.delta.text_member_text;
      } else if (name == "thinking") {
        target.text = &f.delta.thinking_text;
      } else if (name == "partial_json") {
        target.text = &f.delta.partial_json_text;
      } else if (name == "stop_reason") {
        target.reason = &f.delta.stop_reason;
      }
      break;
    case FrameKind::kChoice:
      if (name == "delta") {
        target.object = Frame{FrameKind::kChoiceDelta};
      } else if (name == "text") {
        target.text = &choice_.text;
      } else if (name == "finish_reason") {
        target.reason = &choice_.finish_reason;
      }
      break;
    case FrameKind::kChoiceDelta:
      if (name == "content") {
        target.text = &choice_.delta_content_text;
      } else if (name == "reasoning") {
        target.text = &choice_.delta_reasoning_text;
      } else if (name == "tool_calls") {
        target.items = &choice_.delta_tool_calls_items;
      }
      break;
    case FrameKind::kChoices:
    case FrameKind::kItems:
      break;  // Arrays have no keys.
  }
  return target;
}

}  // namespace

bool ReadReplyFields(std::string_view text, ReplyFields* fields) {
  *fields = ReplyFields();
  FieldsHandler handler(fields);
  return ScanJson(text, &handler);
}

}  // namespace ollama_exporter::proxy
